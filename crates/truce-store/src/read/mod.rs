//! The read model: typed rows of the projection tables and the queries that answer them.
//! The projector ([`crate::projection`]) writes these tables; nothing here writes.
//!
//! The API serializes the rows as they are, so a row's field names are its answer's keys
//! (the table's columns, `idx` answered as `index`); the web pages render the same
//! structs. A column that is not what its row expects is an error
//! ([`crate::StoreError::Corrupt`]), never a blank field.

pub mod actors;
pub mod agreement;
pub mod compliance;
pub mod crossings;
pub mod findings;
pub mod incidents;
pub mod liaison;
pub mod observations;
pub mod period;
pub mod publications;
pub mod reports;
pub mod restrictions;
pub mod talks;
pub mod testimony;
pub mod verification;
pub mod workflow;

use crate::projection::{Arg, Column, Table};
use crate::{Store, StoreError};

/// A row type read from one projection table, all of its columns in the table's order.
/// Only this crate implements it: [`Values`] can be read only here.
pub trait FromRow: Sized {
    const TABLE: &'static Table;
    fn from_row(values: &mut Values) -> Result<Self, StoreError>;
    /// The row's key: the log index of the entry that made it (`idx`).
    fn index(&self) -> u64;
}

/// One row's values in column order, taken one at a time.
pub struct Values(std::vec::IntoIter<Arg>);

impl Values {
    fn next(&mut self) -> Arg {
        self.0.next().unwrap_or(Arg::NullText)
    }

    /// Passes over `n` columns the row does not read.
    pub(crate) fn skip(&mut self, n: usize) {
        for _ in 0..n {
            self.next();
        }
    }

    pub(crate) fn text(&mut self) -> Result<String, StoreError> {
        match self.next() {
            Arg::Text(text) => Ok(text),
            other => Err(unexpected("text", &other)),
        }
    }

    pub(crate) fn opt_text(&mut self) -> Result<Option<String>, StoreError> {
        match self.next() {
            Arg::Text(text) => Ok(Some(text)),
            Arg::NullText => Ok(None),
            other => Err(unexpected("text or NULL", &other)),
        }
    }

    pub(crate) fn int(&mut self) -> Result<i64, StoreError> {
        match self.next() {
            Arg::Int(n) => Ok(n),
            other => Err(unexpected("an integer", &other)),
        }
    }

    pub(crate) fn opt_int(&mut self) -> Result<Option<i64>, StoreError> {
        match self.next() {
            Arg::Int(n) => Ok(Some(n)),
            Arg::NullInt => Ok(None),
            other => Err(unexpected("an integer or NULL", &other)),
        }
    }

    pub(crate) fn opt_real(&mut self) -> Result<Option<f64>, StoreError> {
        match self.next() {
            Arg::Real(n) => Ok(Some(n)),
            Arg::NullReal => Ok(None),
            other => Err(unexpected("a number or NULL", &other)),
        }
    }

    /// A log index (`idx` and the columns that refer to entries).
    pub(crate) fn index(&mut self) -> Result<u64, StoreError> {
        crate::model::to_u64(self.int()?)
    }

    /// A reference to an entry that may be absent.
    pub(crate) fn opt_index(&mut self) -> Result<Option<u64>, StoreError> {
        self.opt_int()?.map(crate::model::to_u64).transpose()
    }

    /// A column holding JSON (a list the projector serialized).
    pub(crate) fn json<T: serde::de::DeserializeOwned>(&mut self) -> Result<T, StoreError> {
        let text = self.text()?;
        serde_json::from_str(&text)
            .map_err(|e| StoreError::Corrupt(format!("a projection column's JSON {text:?}: {e}")))
    }

    /// A comma-joined list of ids (the projection's way of storing delegations).
    pub(crate) fn list(&mut self) -> Result<Vec<String>, StoreError> {
        let text = self.text()?;
        Ok(text
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect())
    }
}

/// Which rows of a list to read: newest first, only those before `before` (a cursor:
/// the index of the last row already seen) and whose `column` equals its value, at most
/// `limit`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listed {
    pub before: Option<u64>,
    pub equal: Vec<(&'static str, Arg)>,
    pub limit: usize,
}

/// A log index as an argument; one past SQL's integers compares as the largest.
fn index_arg(index: u64) -> Arg {
    Arg::Int(i64::try_from(index).unwrap_or(i64::MAX))
}

fn unexpected(wanted: &str, found: &Arg) -> StoreError {
    StoreError::Corrupt(format!(
        "a projection column holds {found:?} where {wanted} was expected"
    ))
}

/// A query's `WHERE` conditions and their arguments, numbered `$1`, `$2`... in order.
#[derive(Debug, Default)]
pub(crate) struct Conditions {
    sql: String,
    pub(crate) args: Vec<Arg>,
}

impl Conditions {
    /// Conditions written whole, with their `$1`, `$2`... arguments.
    pub(crate) fn written(condition: &str, args: Vec<Arg>) -> Self {
        Self {
            sql: format!(" WHERE {condition}"),
            args,
        }
    }

    /// Adds `column op $N` for the next argument `N`.
    pub(crate) fn and(&mut self, column_op: &str, value: Arg) -> &mut Self {
        self.args.push(value);
        let joiner = self.joiner();
        self.sql = format!("{}{joiner} {column_op} ${}", self.sql, self.args.len());
        self
    }

    /// Adds `(first $N OR second $N)`: one argument that either column may equal.
    pub(crate) fn either(&mut self, first_op: &str, second_op: &str, value: Arg) -> &mut Self {
        self.args.push(value);
        let n = self.args.len();
        let joiner = self.joiner();
        self.sql = format!("{}{joiner} ({first_op} ${n} OR {second_op} ${n})", self.sql);
        self
    }

    /// Adds a condition that takes no argument.
    pub(crate) fn bare(&mut self, condition: &str) -> &mut Self {
        let joiner = self.joiner();
        self.sql = format!("{}{joiner} ({condition})", self.sql);
        self
    }

    /// Ends the last condition with `tail` after its argument: the `)` a subquery
    /// (`idx IN (SELECT ... WHERE x =`) opened, say.
    pub(crate) fn close_with(&mut self, tail: &str) -> &mut Self {
        self.sql.push_str(tail);
        self
    }

    fn joiner(&self) -> &'static str {
        if self.sql.is_empty() {
            " WHERE"
        } else {
            " AND"
        }
    }

    pub(crate) fn sql(&self) -> &str {
        &self.sql
    }
}

impl Store {
    /// The rows of `T`'s table that `listed` asks for, newest first.
    pub async fn newest_first<T: FromRow>(&self, listed: &Listed) -> Result<Vec<T>, StoreError> {
        let mut conditions = Conditions::default();
        if let Some(before) = listed.before {
            conditions.and("idx <", index_arg(before));
        }
        for (column, value) in &listed.equal {
            conditions.and(&format!("{column} ="), value.clone());
        }
        let order = format!("ORDER BY idx DESC LIMIT {}", listed.limit);
        self.select(&conditions, &order).await
    }

    /// The row of `T`'s table made by entry `index`, if there is one.
    pub async fn row<T: FromRow>(&self, index: u64) -> Result<Option<T>, StoreError> {
        let mut conditions = Conditions::default();
        conditions.and("idx =", index_arg(index));
        Ok(self.select(&conditions, "").await?.pop())
    }

    /// The rows of `T`'s table whose `column` refers to entry `index`, oldest first.
    pub async fn children<T: FromRow>(
        &self,
        column: &'static str,
        index: u64,
    ) -> Result<Vec<T>, StoreError> {
        let mut conditions = Conditions::default();
        conditions.and(&format!("{column} ="), index_arg(index));
        self.select(&conditions, "ORDER BY idx").await
    }

    /// Every row of `T`'s table under `conditions`, in `order` (an `ORDER BY ... LIMIT`
    /// tail).
    pub(crate) async fn select<T: FromRow>(
        &self,
        conditions: &Conditions,
        order: &str,
    ) -> Result<Vec<T>, StoreError> {
        let table = T::TABLE;
        let names: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
        let sql = format!(
            "SELECT {} FROM {}{} {order}",
            names.join(", "),
            table.name,
            conditions.sql()
        );
        let columns: Vec<Column> = table.columns.iter().map(|(_, c)| *c).collect();
        self.decoded(sql, &conditions.args, &columns, T::from_row)
            .await
    }

    /// The rows of a read query, each decoded by `decode`; the first row that does not
    /// decode fails the whole read.
    pub(crate) async fn decoded<T>(
        &self,
        sql: String,
        args: &[Arg],
        columns: &[Column],
        decode: impl Fn(&mut Values) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let mut rows = vec![];
        let mut failed = None;
        self.for_each_row(sql, args, columns, |row| {
            if failed.is_none() {
                match decode(&mut Values(row.into_iter())) {
                    Ok(row) => rows.push(row),
                    Err(e) => failed = Some(e),
                }
            }
        })
        .await?;
        failed.map_or(Ok(rows), Err)
    }
}
