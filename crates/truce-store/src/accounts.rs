//! People's accounts and their tokens (`people`, `tokens`): this node's operational data,
//! neither log nor projection. The server seals keys and hashes passwords; this module
//! only keeps and finds what it is given.

use truce_core::{DelegationId, KeyName, Role};

use crate::projection::{Arg, Column};
use crate::read::Values;
use crate::{Store, StoreError};

/// A person as the API shows them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Person {
    pub name: String,
    pub delegation: DelegationId,
    pub role: Role,
    pub key: KeyName,
}

/// An account to keep: the person, their password's PHC hash and their key sealed under
/// the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub person: Person,
    pub password_phc: String,
    pub sealed_key: String,
    pub created_ms: i64,
}

/// What a password login checks: the password's hash and the key sealed under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordSecrets {
    pub password_phc: String,
    pub sealed_key: String,
}

/// A token to keep: its id (the token hashed), whose it is, and the key sealed under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub id: String,
    pub person: String,
    pub label: String,
    pub sealed_key: String,
    pub created_ms: i64,
    pub expires_ms: i64,
}

/// The person a live token belongs to, with the key sealed under the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenHolder {
    pub person: Person,
    pub sealed_key: String,
}

const INSERT_PERSON: &str = "INSERT INTO people \
    (name, delegation, role, key_name, password_phc, sealed_key, created_ms) \
    VALUES ($1, $2, $3, $4, $5, $6, $7)";
const INSERT_TOKEN: &str = "INSERT INTO tokens (id, person, label, sealed_key, created_ms, expires_ms) \
    VALUES ($1, $2, $3, $4, $5, $6)";
const DELETE_TOKEN: &str = "DELETE FROM tokens WHERE id = $1";
const DELETE_TOKENS_OF: &str = "DELETE FROM tokens WHERE person = $1";
/// A person whose key the log has revoked has no account left to log in to.
const PASSWORD_SECRETS: &str = "SELECT p.password_phc, p.sealed_key FROM people p \
    JOIN keys k ON k.name = p.key_name WHERE p.name = $1 AND k.revoked_at IS NULL";
/// A `key.revoked` entry ends every token of its holder at once: the tokens stay, dead.
const TOKEN_HOLDER: &str = "SELECT p.name, p.delegation, p.role, p.key_name, t.sealed_key \
    FROM tokens t JOIN people p ON p.name = t.person JOIN keys k ON k.name = p.key_name \
    WHERE t.id = $1 AND t.expires_ms > $2 AND k.revoked_at IS NULL";

impl Store {
    /// Keeps a new account.
    pub async fn add_person(&self, new: &NewPerson) -> Result<(), StoreError> {
        let person = &new.person;
        let args = vec![
            Arg::Text(person.name.clone()),
            Arg::Text(person.delegation.to_string()),
            Arg::Text(person.role.as_str().into()),
            Arg::Text(person.key.to_string()),
            Arg::Text(new.password_phc.clone()),
            Arg::Text(new.sealed_key.clone()),
            Arg::Int(new.created_ms),
        ];
        self.write(INSERT_PERSON, args).await
    }

    /// Whether an account has this name or holds this key.
    pub async fn person_exists(&self, name: &str, key: &KeyName) -> Result<bool, StoreError> {
        let sql = "SELECT name FROM people WHERE name = $1 OR key_name = $2".to_string();
        let args = [Arg::Text(name.into()), Arg::Text(key.to_string())];
        let names = self.decoded(sql, &args, &[Column::Text], Values::text);
        Ok(!names.await?.is_empty())
    }

    /// The password secrets of the account `name`, unless there is none or its key is
    /// revoked.
    pub async fn password_secrets(
        &self,
        name: &str,
    ) -> Result<Option<PasswordSecrets>, StoreError> {
        let args = [Arg::Text(name.into())];
        let columns = [Column::Text, Column::Text];
        let found = self.decoded(PASSWORD_SECRETS.into(), &args, &columns, |row| {
            Ok(PasswordSecrets {
                password_phc: row.text()?,
                sealed_key: row.text()?,
            })
        });
        Ok(found.await?.pop())
    }

    pub async fn add_token(&self, new: &NewToken) -> Result<(), StoreError> {
        let args = vec![
            Arg::Text(new.id.clone()),
            Arg::Text(new.person.clone()),
            Arg::Text(new.label.clone()),
            Arg::Text(new.sealed_key.clone()),
            Arg::Int(new.created_ms),
            Arg::Int(new.expires_ms),
        ];
        self.write(INSERT_TOKEN, args).await
    }

    /// Who holds the token `id`, if it has not expired at `now_ms` and their key is not
    /// revoked.
    pub async fn token_holder(
        &self,
        id: &str,
        now_ms: i64,
    ) -> Result<Option<TokenHolder>, StoreError> {
        let args = [Arg::Text(id.into()), Arg::Int(now_ms)];
        let found = self.decoded(TOKEN_HOLDER.into(), &args, &[Column::Text; 5], |row| {
            Ok(TokenHolder {
                person: person(row)?,
                sealed_key: row.text()?,
            })
        });
        Ok(found.await?.pop())
    }

    /// Ends one token (logout).
    pub async fn remove_token(&self, id: &str) -> Result<(), StoreError> {
        self.write(DELETE_TOKEN, vec![Arg::Text(id.into())]).await
    }

    /// Ends every token of a person (logout everywhere).
    pub async fn remove_tokens_of(&self, person: &str) -> Result<(), StoreError> {
        self.write(DELETE_TOKENS_OF, vec![Arg::Text(person.into())])
            .await
    }
}

/// A person from the columns name, delegation, role and key name.
fn person(row: &mut Values) -> Result<Person, StoreError> {
    let name = row.text()?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("account {name}: bad {what}"));
    let delegation = DelegationId::parse(row.text()?).map_err(|_| corrupt("delegation"))?;
    let role = Role::parse(&row.text()?).ok_or_else(|| corrupt("role"))?;
    let key = KeyName::parse(row.text()?).map_err(|_| corrupt("key name"))?;
    Ok(Person {
        name,
        delegation,
        role,
        key,
    })
}
