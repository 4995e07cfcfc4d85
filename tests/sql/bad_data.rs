//! Bad data in the leads table: every row comes out, a row whose value
//! does not fit its field with `error` set in `leadc score`'s words and
//! empty score columns, the others scored — also when a count or an int
//! arrives as a floating-point column, as a CSV loaded with guessed types
//! gives it.

use crate::engines::{self, Engine};
use leadc::sql::{Options, to_sql};
use serde_json::Value;
use std::sync::Arc;

const SCHEMA: &str = "behaviours = [\"visit\"]\n[fields]\nage = \"int\"\nbudget = \"number\"\n\
                      region = { type = \"enum\", values = [\"NA-West\", \"EMEA\"] }\n";
const PROGRAM: &str = "require region = \"EMEA\" : 100\ncategory fit max 50\nfit age >= 18 : 10\n\
                       fit budget > 1000 : 5\nbehaviour visit : 2 each max 20\n";

#[test]
fn every_row_comes_out_and_bad_values_are_named() {
    let schema = Arc::new(leadc::Schema::from_toml(SCHEMA).unwrap());
    let card = leadc::check::check(&leadc::syntax::parse(PROGRAM).unwrap(), schema).unwrap();
    let query = to_sql(&card, Some(PROGRAM), &Options::default());
    // `age` and `visit` as DOUBLE, as a guessed CSV type would make them.
    let rows = [
        "(1, 40, 2000, ' EMEA ', 3)",
        "(2, 40, 2000, 'EMEA', 2.5)",
        "(3, 40, 2000, 'EMEA', -1)",
        "(4, 40, 2000, 'EMEA', 4294967296)",
        "(5, 40, 2000, 'EMEA', 'NaN')",
        "(6, 40.5, 2000, 'EMEA', 1)",
        "(7, 40, 'Infinity', 'EMEA', 1)",
        "(8, 40, 2000, 'Mars', 1)",
        "(9, NULL, 'NaN', '\u{3000}', NULL)",
    ];
    let setup = vec![
        "CREATE TABLE leads (id BIGINT, age DOUBLE, budget DOUBLE, region VARCHAR, visit DOUBLE)".to_string(),
        format!("INSERT INTO leads VALUES {}", rows.join(", ")),
    ];
    let out = engines::run(
        Engine::DuckDb,
        &[engines::Case { tables: Vec::new(), csv: Vec::new(), setup, query, params: None }],
    )
    .remove(0)
    .unwrap();
    let (id, score, error) = (out.column("id"), out.column("score"), out.column("error"));
    let mut got: Vec<(i64, Value, Value)> =
        out.rows.iter().map(|r| (r[id].as_i64().unwrap(), r[score].clone(), r[error].clone())).collect();
    got.sort_by_key(|r| r.0);
    let text = |v: &Value| v.as_str().map_or("-".to_string(), str::to_string);
    let lines: Vec<String> =
        got.iter().map(|(i, s, e)| format!("{i}: score {s} error {}", text(e))).collect();
    assert_eq!(
        lines,
        [
            "1: score 121 error -",
            "2: score null error column `visit`: `2.5` is not a count (a whole number from 0 to 4294967295)",
            "3: score null error column `visit`: `-1.0` is not a count (a whole number from 0 to 4294967295)",
            "4: score null error column `visit`: `4294967296.0` is not a count (a whole number from 0 to 4294967295)",
            "5: score null error column `visit`: `nan` is not a count (a whole number from 0 to 4294967295)",
            "6: score null error column `age`: `40.5` is not an integer",
            "7: score null error column `budget`: `inf` is not a finite number",
            "8: score null error column `region`: `Mars` is not one of `NA-West`, `EMEA`",
            "9: score 0 error -",
        ]
    );
}
