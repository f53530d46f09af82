//! People's accounts and tokens on every backend: found by name or key, a login and a
//! token only while the key is not revoked and the token not expired, and logouts.

use truce_core::{DelegationId, Role};
use truce_demo::{DEMO_ORIGIN, Exercise};
use truce_store::Store;
use truce_store::accounts::{NewPerson, NewToken, PasswordSecrets, Person};

use crate::support::*;

/// The exercise's first officer, whose key is live.
const LIAISON: &str = "pk/liaison-1";
/// The exercise's field tablet, whose key its first entries revoke.
const TABLET: &str = "jmt/field-tablet-1";

fn person(exercise: &Exercise, who: &str, delegation: &str, role: Role) -> Person {
    Person {
        name: who.replace('/', "-"),
        delegation: DelegationId::parse(delegation).unwrap(),
        role,
        key: exercise.officer(who).name().clone(),
    }
}

fn new_person(person: &Person) -> NewPerson {
    NewPerson {
        person: person.clone(),
        password_phc: format!("phc of {}", person.name),
        sealed_key: format!("key of {} under the password", person.name),
        created_ms: 1_000,
    }
}

fn new_token(id: &str, person: &Person, expires_ms: i64) -> NewToken {
    NewToken {
        id: id.into(),
        person: person.name.clone(),
        label: "laptop".into(),
        sealed_key: format!("key of {} under {id}", person.name),
        created_ms: 1_000,
        expires_ms,
    }
}

/// A store holding the exercise's first entries (its keys, one revoked) and two accounts.
async fn with_accounts(store: &Store, exercise: &Exercise) -> (Person, Person) {
    append_notes(store, exercise, exercise.entries()).await;
    let liaison = person(exercise, LIAISON, "pk", Role::Liaison);
    let tablet = person(exercise, TABLET, "jmt", Role::Device);
    for person in [&liaison, &tablet] {
        store.add_person(&new_person(person)).await.unwrap();
    }
    (liaison, tablet)
}

#[tokio::test]
async fn an_account_is_found_by_its_name_or_its_key_and_logs_in_only_while_its_key_lives() {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
    for (store, _dir) in stores().await {
        let backend = store.backend();
        let (liaison, tablet) = with_accounts(&store, &exercise).await;
        let other_key = exercise.officer("af/liaison-1").name();
        assert!(store.person_exists(&liaison.name, other_key).await.unwrap());
        assert!(store.person_exists("nobody", &liaison.key).await.unwrap());
        assert!(!store.person_exists("nobody", other_key).await.unwrap());

        let secrets = store.password_secrets(&liaison.name).await.unwrap();
        let expected = PasswordSecrets {
            password_phc: "phc of pk-liaison-1".into(),
            sealed_key: "key of pk-liaison-1 under the password".into(),
        };
        assert_eq!(secrets, Some(expected), "{backend}");
        let revoked = store.password_secrets(&tablet.name).await.unwrap();
        assert_eq!(revoked, None, "{backend}: the tablet's key is revoked");
        assert_eq!(store.password_secrets("nobody").await.unwrap(), None);
    }
}

#[tokio::test]
async fn a_token_names_its_holder_until_it_expires_or_is_removed() {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
    for (store, _dir) in stores().await {
        let backend = store.backend();
        let (liaison, tablet) = with_accounts(&store, &exercise).await;
        for token in [
            new_token("t1", &liaison, 5_000),
            new_token("t2", &liaison, 5_000),
            new_token("t3", &tablet, 5_000),
        ] {
            store.add_token(&token).await.unwrap();
        }
        let holder = store.token_holder("t1", 4_999).await.unwrap().unwrap();
        assert_eq!(holder.person, liaison, "{backend}");
        assert_eq!(holder.sealed_key, "key of pk-liaison-1 under t1");
        assert_eq!(store.token_holder("t1", 5_000).await.unwrap(), None);
        assert_eq!(store.token_holder("t3", 1).await.unwrap(), None, "revoked");
        assert_eq!(store.token_holder("t9", 1).await.unwrap(), None);

        store.remove_token("t1").await.unwrap();
        assert_eq!(store.token_holder("t1", 1).await.unwrap(), None);
        assert!(store.token_holder("t2", 1).await.unwrap().is_some());
        store.remove_tokens_of(&liaison.name).await.unwrap();
        assert_eq!(
            store.token_holder("t2", 1).await.unwrap(),
            None,
            "{backend}"
        );
    }
}
