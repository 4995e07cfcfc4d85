//! The formatter on small programs: what each rule of the layout does.

#![allow(clippy::unwrap_used)]

use super::format;

fn fmt(source: &str) -> String {
    let once = format(source).unwrap();
    assert_eq!(format(&once).unwrap(), once, "not idempotent on:\n{source}");
    once
}

#[test]
fn points_align_down_a_run_and_a_blank_line_ends_it() {
    let source = "category a\nfit x : 1\nbehaviour demo_request : 20\n\nfit longer_name = 3 : 2\n";
    assert_eq!(
        fmt(source),
        "category a\nfit x                  : 1\nbehaviour demo_request : 20\n\nfit longer_name = 3 : 2\n"
    );
}

#[test]
fn a_comment_line_does_not_end_a_run() {
    let source = "category a\nfit x : 1\n   # the long one\nfit yyyy : 2\n";
    assert_eq!(fmt(source), "category a\nfit x    : 1\n# the long one\nfit yyyy : 2\n");
}

#[test]
fn trailing_comments_align_two_spaces_after_the_longest_line() {
    let source = "require a : 100 # one\nrequire bb >= 2 : 100      # two\n";
    assert_eq!(fmt(source), "require a       : 100  # one\nrequire bb >= 2 : 100  # two\n");
}

#[test]
fn tiers_align_when_and_a_blank_line_comes_before_the_first() {
    let source =
        "category a\nfit x : 1\ntier hot when points >= 1\ntier warm_ish when points >= 0\ntier cold\n";
    assert_eq!(
        fmt(source),
        "category a\nfit x : 1\n\ntier hot      when points >= 1\ntier warm_ish when points >= 0\ntier cold\n"
    );
}

#[test]
fn a_category_gets_a_blank_line_above_its_comment_lines() {
    let source = "require a : 100\n# 2. fit\ncategory b max 5\nfit c : 1\n\n\n\ncategory d\n";
    assert_eq!(fmt(source), "require a : 100\n\n# 2. fit\ncategory b max 5\nfit c : 1\n\ncategory d\n");
}

#[test]
fn tokens_are_spaced_and_spelled_one_way() {
    let source = "fit  t==\"VP\"and(a or b) :5\nbehavior   w >=2:1 each  max 3 within 30d\nfit t in [ \"a\" ,\"b\", ] : -007\n";
    assert_eq!(
        fmt(source),
        "fit t = \"VP\" and (a or b) : 5\nbehaviour w >= 2          : 1 each max 3 within 30d\nfit t in [\"a\", \"b\"]       : -7\n"
    );
}

#[test]
fn parentheses_stay_only_where_they_group() {
    let cases = [
        ("fit ((a)) : 1\n", "fit a : 1\n"),
        ("fit (a and b) and c : 1\n", "fit a and b and c : 1\n"),
        ("fit a and b or c : 1\n", "fit (a and b) or c : 1\n"),
        ("fit a and (b or c) : 1\n", "fit a and (b or c) : 1\n"),
        ("fit not (a) : 1\n", "fit not a : 1\n"),
        ("fit not (a and b) : 1\n", "fit not (a and b) : 1\n"),
        ("fit not not a : 1\n", "fit not (not a) : 1\n"),
        ("fit (\n  a or b\n) : 1\n", "fit a or b : 1\n"),
    ];
    for (source, want) in cases {
        assert_eq!(fmt(source), want, "{source}");
    }
}

#[test]
fn a_segment_aligns_its_arms_and_keeps_its_comments() {
    let source = "segment employees {   # size\n\n  < 50 => 1 \"small\"  # under 50\n    # the middle\n  50..999   => 2\n\n  in 1000..5000 => 3 \"large\"\n\n}  # end\n";
    assert_eq!(
        fmt(source),
        "segment employees {  # size\n  < 50    => 1 \"small\"  # under 50\n  # the middle\n  50..999 => 2\n\n  1000..5000 => 3 \"large\"\n}  # end\n"
    );
}

#[test]
fn a_segment_on_one_line_is_laid_out_on_several() {
    assert_eq!(fmt("segment e { < 5 => 1 }\n"), "segment e {\n  < 5 => 1\n}\n");
}

#[test]
fn a_long_list_is_laid_out_one_member_per_line() {
    let members: Vec<String> = (0..12).map(|i| format!("\"member number {i}\"")).collect();
    let source = format!("category a\nfit t in [{}] : 3\nfit b : 1\n", members.join(", "));
    let out = fmt(&source);
    let mut want = "category a\nfit t in [\n".to_string();
    for m in &members {
        want.push_str(&format!("  {m},\n"));
    }
    want.push_str("] : 3\nfit b : 1\n");
    assert_eq!(out, want);
}

#[test]
fn an_item_with_a_comment_inside_is_kept_as_written() {
    let source = "fit t in [\n    \"a\",   # the a\n    \"b\"] : 3\n";
    assert_eq!(fmt(source), source);
}

#[test]
fn comments_at_the_start_and_end_of_the_file_are_kept() {
    assert_eq!(fmt("\n\n# head\n\nfit a : 1\n\n# tail\n\n\n"), "# head\n\nfit a : 1\n\n# tail\n");
    assert_eq!(fmt("# only a comment"), "# only a comment\n");
    assert_eq!(fmt(""), "");
}

#[test]
fn line_ends_and_a_byte_order_mark_are_kept() {
    assert_eq!(fmt("fit a:1\r\nfit bb:2\r\n"), "fit a  : 1\r\nfit bb : 2\r\n");
    assert_eq!(fmt("fit a:1\rfit bb:2\r"), "fit a  : 1\rfit bb : 2\r");
    assert_eq!(fmt("\u{feff}fit a:1\n"), "\u{feff}fit a : 1\n");
}

#[test]
fn strings_keep_their_value() {
    assert_eq!(fmt("fit a = \"q\\\"#\\\\ \\x\" : 1\n"), "fit a = \"q\\\"#\\\\ x\" : 1\n");
}

#[test]
fn a_syntax_error_is_returned_not_formatted() {
    let errors = format("fit a = : 1\n").unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].span.start, 8);
}

#[test]
fn lint_lines_and_category_time_clauses_print_in_full() {
    assert_eq!(
        fmt("lint allow   too-few-rules ,dominant-rule\ncategory i max 25 decay half_life 30d\n"),
        "lint allow too-few-rules, dominant-rule\n\ncategory i max 25 decay half_life 30d\n"
    );
}

#[test]
fn a_bare_last_tier_is_a_tier_for_blank_lines() {
    assert_eq!(fmt("category a\nfit x : 1\ntier cold\n"), "category a\nfit x : 1\n\ntier cold\n");
}

#[test]
fn a_long_list_in_a_segment_arm_is_laid_out_inside_the_block() {
    let members: Vec<String> = (0..9).map(|i| format!("\"industry number {i}\"")).collect();
    let source =
        format!("segment industry {{\n  in [{}] => 1 \"target\"\n  = \"x\" => 2\n}}\n", members.join(", "));
    let mut want = "segment industry {\n  in [\n".to_string();
    for m in &members {
        want.push_str(&format!("    {m},\n"));
    }
    want.push_str("  ] => 1 \"target\"\n  = \"x\" => 2\n}\n");
    assert_eq!(fmt(&source), want);
}

#[test]
fn durations_are_normalised() {
    assert_eq!(
        fmt("behaviour w : 1 each within 030d decay half_life 1_2h\n"),
        "behaviour w : 1 each within 30d decay half_life 12h\n"
    );
}
