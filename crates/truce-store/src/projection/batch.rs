//! Folding many projection writes into few statements.
//!
//! Both backends pay per statement, not per row: sqlx hands every SQLite statement to
//! the connection's worker thread and waits for the answer, and every PostgreSQL
//! statement is a round trip. A rebuild replays a million reports, each written as a row
//! insert, two counter increments and its provisions, so most of its time went to those
//! hand-overs (measured in BENCHMARKS.md). [`batch`] turns a run of such writes into
//! multi-row inserts and summed increments with the same effect:
//! - rows of an insert listed in [`ROW_INSERTS`] are grouped into `VALUES (..), (..)`
//!   statements of [`GROUP_ROWS`] rows, the rest in power-of-two groups, so that every
//!   shape of statement recurs and stays in the prepared-statement cache;
//! - increments listed in [`INCREMENTS`] (whose last argument is the amount) with the
//!   same key are summed into one statement.
//!
//! Only these writes move, and never across another write: everything else is a barrier
//! before which the pending groups are written, so the order of any write that could read
//! or change their rows is kept.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{Arg, Write, observations, reports};

/// Rows per multi-row insert: 64 reports are 2,240 arguments, under both backends'
/// limits. Wider statements save hand-overs, but sqlx binds a numbered parameter by
/// looking its name up with a linear search, so binding grows with the square of the
/// width: a 30,000-argument statement was measured slower than one row at a time, and
/// numbered 64-row statements spent 14 % of a rebuild in that search. SQLite's
/// statements are therefore generated with anonymous parameters ([`Placeholders`]).
pub const GROUP_ROWS: usize = 64;

/// Plain inserts (`INSERT INTO t (..) VALUES ($1, .., $n)` and nothing after) whose rows
/// nothing in the same run reads.
const ROW_INSERTS: &[&str] = &[
    reports::INSERT_REPORT,
    reports::INSERT_PROVISION,
    observations::INSERT_OBSERVATION,
    observations::INSERT_COUNT,
];

/// Upserts that add their last argument to a counter keyed by the others.
const INCREMENTS: &[&str] = &[reports::COUNT_REPORT];

/// How a generated statement writes its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholders {
    /// `$1, $2, ..`: PostgreSQL's only form.
    Numbered,
    /// `?, ?, ..`: for SQLite, where sqlx looks up every numbered parameter's name with a
    /// linear search of the statement's names (quadratic in a wide statement), and
    /// anonymous ones have none to search.
    Anonymous,
}

/// A statement ready to run: its SQL may be generated, so it is owned when it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sql: Cow<'static, str>,
    pub args: Vec<Arg>,
}

/// The writes folded into as few statements as keep their effect (see the module docs).
#[must_use]
pub fn batch(writes: &[Write], placeholders: Placeholders) -> Vec<Statement> {
    let mut out = vec![];
    let mut pending = Pending {
        placeholders,
        rows: vec![],
        increments: vec![],
        increment_at: HashMap::new(),
    };
    for write in writes {
        if ROW_INSERTS.contains(&write.sql) {
            pending.row(write);
        } else if INCREMENTS.contains(&write.sql) {
            pending.increment(write);
        } else {
            pending.flush(&mut out);
            out.push(Statement {
                sql: Cow::Borrowed(write.sql),
                args: write.args.clone(),
            });
        }
    }
    pending.flush(&mut out);
    out
}

/// Writes held back until the next barrier, in the order their statements first appeared.
struct Pending<'w> {
    placeholders: Placeholders,
    rows: Vec<(&'static str, Vec<&'w [Arg]>)>,
    increments: Vec<(&'static str, Vec<Arg>)>,
    /// Position of each (statement, key) in `increments`; the key is the arguments but
    /// the last, as text (arguments hold floats, so they are not `Hash` themselves).
    increment_at: HashMap<(&'static str, String), usize>,
}

impl<'w> Pending<'w> {
    fn row(&mut self, write: &'w Write) {
        match self.rows.iter_mut().find(|(sql, _)| *sql == write.sql) {
            Some((_, rows)) => rows.push(&write.args),
            None => self.rows.push((write.sql, vec![&write.args])),
        }
    }

    fn increment(&mut self, write: &Write) {
        let (amount, key) = write
            .args
            .split_last()
            .expect("an increment has a key and an amount");
        let key_text = format!("{key:?}");
        if let Some(&at) = self.increment_at.get(&(write.sql, key_text.clone())) {
            let total = self.increments[at].1.last_mut().expect("has an amount");
            *total = Arg::Int(int(total) + int(amount));
        } else {
            self.increment_at
                .insert((write.sql, key_text), self.increments.len());
            self.increments.push((write.sql, write.args.clone()));
        }
    }

    fn flush(&mut self, out: &mut Vec<Statement>) {
        for (sql, rows) in self.rows.drain(..) {
            grouped_inserts(sql, &rows, self.placeholders, out);
        }
        out.extend(self.increments.drain(..).map(|(sql, args)| Statement {
            sql: Cow::Borrowed(sql),
            args,
        }));
        self.increment_at.clear();
    }
}

fn int(arg: &Arg) -> i64 {
    match arg {
        Arg::Int(v) => *v,
        other => panic!("an increment's amount is an integer, not {other:?}"),
    }
}

/// Appends `rows` of `sql` as inserts of [`GROUP_ROWS`] rows, then of 32, 16, .., 1.
fn grouped_inserts(
    sql: &'static str,
    rows: &[&[Arg]],
    placeholders: Placeholders,
    out: &mut Vec<Statement>,
) {
    let mut rest = rows;
    let mut size = GROUP_ROWS;
    while !rest.is_empty() {
        if rest.len() < size {
            size /= 2;
            continue;
        }
        let (group, tail) = rest.split_at(size);
        out.push(Statement {
            sql: if size == 1 {
                Cow::Borrowed(sql)
            } else {
                Cow::Owned(multi_row(sql, size, group[0].len(), placeholders))
            },
            args: group.iter().flat_map(|row| row.iter().cloned()).collect(),
        });
        rest = tail;
    }
}

/// `INSERT INTO t (..) VALUES ($1, .., $n)` written for `rows` rows of `width` arguments.
fn multi_row(sql: &str, rows: usize, width: usize, placeholders: Placeholders) -> String {
    let head = &sql[..sql.rfind(" VALUES (").expect("a row insert has VALUES")];
    let mut text = String::with_capacity(head.len() + rows * width * 6);
    text.push_str(head);
    text.push_str(" VALUES ");
    for row in 0..rows {
        if row > 0 {
            text.push_str(", ");
        }
        text.push('(');
        for column in 0..width {
            if column > 0 {
                text.push_str(", ");
            }
            match placeholders {
                Placeholders::Numbered => {
                    text.push('$');
                    text.push_str(&(row * width + column + 1).to_string());
                }
                Placeholders::Anonymous => text.push('?'),
            }
        }
        text.push(')');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projection::evidence;

    fn insert_provision(report: i64, provision: &str) -> Write {
        Write {
            sql: reports::INSERT_PROVISION,
            args: vec![Arg::Int(report), Arg::Text(provision.into())],
        }
    }

    fn count(party: &str, amount: i64) -> Write {
        Write {
            sql: reports::COUNT_REPORT,
            args: vec![
                Arg::Text(party.into()),
                Arg::Text("made".into()),
                Arg::Text("open".into()),
                Arg::Int(amount),
            ],
        }
    }

    #[test]
    fn row_inserts_group_in_shapes_that_recur() {
        let writes: Vec<Write> = (0..i64::try_from(GROUP_ROWS * 2 + 6).unwrap())
            .map(|i| insert_provision(i, "p"))
            .collect();
        let statements = batch(&writes, Placeholders::Numbered);
        let rows: Vec<usize> = statements.iter().map(|s| s.args.len() / 2).collect();
        assert_eq!(rows, [GROUP_ROWS, GROUP_ROWS, 4, 2]);
        assert!(
            statements[2]
                .sql
                .ends_with("VALUES ($1, $2), ($3, $4), ($5, $6), ($7, $8)")
        );
        let anonymous = batch(&writes, Placeholders::Anonymous);
        assert!(
            anonymous[2]
                .sql
                .ends_with("VALUES (?, ?), (?, ?), (?, ?), (?, ?)")
        );
        let args: Vec<Arg> = statements.into_iter().flat_map(|s| s.args).collect();
        let expected: Vec<Arg> = writes.into_iter().flat_map(|w| w.args).collect();
        assert_eq!(args, expected, "every row, in order");
    }

    #[test]
    fn increments_with_one_key_are_summed() {
        let statements = batch(
            &[count("pk", 1), count("af", 1), count("pk", 2)],
            Placeholders::Numbered,
        );
        let amounts: Vec<(&str, &Arg)> = statements
            .iter()
            .map(|s| (s.args[0].text(), &s.args[3]))
            .collect();
        assert_eq!(amounts, [("pk", &Arg::Int(3)), ("af", &Arg::Int(1))]);
    }

    #[test]
    fn other_writes_are_barriers_kept_in_order() {
        let other = Write {
            sql: evidence::PUBLISH,
            args: vec![],
        };
        let writes = [
            insert_provision(1, "a"),
            count("pk", 1),
            other.clone(),
            insert_provision(2, "b"),
            count("pk", 1),
        ];
        let sql: Vec<String> = batch(&writes, Placeholders::Numbered)
            .into_iter()
            .map(|s| s.sql.into())
            .collect();
        let expected: Vec<String> = writes.iter().map(|w| w.sql.to_string()).collect();
        assert_eq!(
            sql, expected,
            "nothing crosses the barrier, so nothing merges here"
        );
    }
}
