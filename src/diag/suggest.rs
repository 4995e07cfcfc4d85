//! "Did you mean ...?": the closest known name to a misspelt one.
//!
//! In: the unknown name and the candidates. Out: the candidate with the
//! smallest edit distance, if it is close enough to be a plausible typo.

/// The candidate closest to `name`, when the edit distance is at most a
/// third of the name's length (and at least 1), or when one differs from the
/// other only in case. Between equally close candidates, the one closer
/// in exact case wins.
///
/// ```
/// use leadc::diag::suggest::closest;
/// assert_eq!(closest("titel", ["title", "region"]), Some("title"));
/// assert_eq!(closest("zzz", ["title", "region"]), None);
/// ```
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let d = if c.to_lowercase() == lower { 0 } else { distance(&lower, &c.to_lowercase()) };
            (d, c)
        })
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, c)| (d, distance(name, c)))
        .map(|(_, c)| c)
}

/// Edit distance in characters, counting a swap of two neighbours as one
/// edit (optimal string alignment), so `titel` is one edit from `title`.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j - 1] + cost).min(previous[j] + 1).min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::distance;

    #[test]
    fn distances() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("abc", "abc"), 0);
        assert_eq!(distance("titel", "title"), 1);
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("abc", ""), 3);
    }

    #[test]
    fn ties_go_to_the_exact_case() {
        assert_eq!(super::closest("NA-Est", ["NA-West", "NA-East"]), Some("NA-East"));
        assert_eq!(super::closest("it", ["IT", "it_x"]), Some("IT"));
    }
}
