//! A node is constituted only by its own genesis: one whose origin and log key are the
//! node's, given with `genesis` (`truce serve --genesis`) or posted to an empty log. A
//! genesis copied from another log, an entry of another origin and a second genesis are
//! refused naming the field, and nothing is appended.

use serde_json::Value;
use truce_demo::Exercise;
use truce_server::Config;

use crate::support::{self, ORIGIN, TestApp};

/// A data directory holding `exercise`'s log key, with its signed genesis in a file, and
/// the node's configuration starting from it.
fn constituted(exercise: &Exercise) -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join(truce_server::node::LOG_KEY_FILE);
    truce_server::keyfile::write_key(&key_file, &exercise.log_key).unwrap();
    let genesis = dir.path().join("genesis.note");
    std::fs::write(&genesis, exercise.genesis_note(&exercise.genesis())).unwrap();
    let mut config = support::config(dir.path());
    config.genesis = Some(genesis);
    (dir, config)
}

async fn refused(app: &TestApp, note: Vec<u8>, status: u16, field: &str) {
    let response = app.post_note(note).await;
    assert_eq!(response.status(), status);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["field"], field, "{problem}");
}

#[tokio::test]
async fn a_fresh_node_refuses_a_genesis_copied_from_another_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = support::config(dir.path());
    config.origin = "ceasefire.example/another-log".into();
    let app = TestApp::start(config, dir).await;
    let other = Exercise::from_seed(ORIGIN, 3);
    refused(&app, other.genesis_note(&other.genesis()), 422, "origin").await;
    assert_eq!(app.size().await, 0, "nothing appended");
}

#[tokio::test]
async fn a_fresh_node_refuses_a_genesis_of_its_origin_naming_another_log_key() {
    let ours = Exercise::from_seed(ORIGIN, 4);
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join(truce_server::node::LOG_KEY_FILE);
    truce_server::keyfile::write_key(&key_file, &ours.log_key).unwrap();
    let app = TestApp::start(support::config(dir.path()), dir).await;
    let theirs = Exercise::from_seed(ORIGIN, 5);
    refused(
        &app,
        theirs.genesis_note(&theirs.genesis()),
        422,
        "payload.log.vkey",
    )
    .await;
    assert_eq!(app.size().await, 0, "nothing appended");
    // Its own genesis is taken.
    let taken = app.post_note(ours.genesis_note(&ours.genesis())).await;
    assert_eq!(taken.status(), 201);
}

#[tokio::test]
async fn a_node_started_on_its_genesis_refuses_a_second_one_and_another_origin() {
    let exercise = Exercise::from_seed(ORIGIN, 6);
    let (dir, config) = constituted(&exercise);
    let mut app = TestApp::start(config.clone(), dir).await;
    assert_eq!(app.size().await, 1, "the genesis is entry 0");
    let agreement = app.get_json("/api/v1/agreement").await;
    assert_eq!(agreement["origin"], ORIGIN);

    refused(
        &app,
        exercise.genesis_note(&exercise.genesis()),
        409,
        "kind",
    )
    .await;
    let elsewhere = Exercise::from_seed("ceasefire.example/elsewhere", 6);
    let mut root = truce_log::Author::new(elsewhere.root("pk").clone(), &elsewhere.origin);
    let notice = serde_json::json!({"lang": "en", "title": "t", "text": "x"});
    let note = root.write(truce_core::kinds::NOTICE_PUBLISHED, notice, support::now());
    refused(&app, note, 422, "origin").await;
    assert_eq!(app.size().await, 1, "nothing appended");

    // Restarted with the same genesis, the node serves the log it has.
    app.stop().await;
    let dir = app.dir;
    let node = truce_server::start(config.clone(), None).await.unwrap();
    node.shutdown().await.unwrap();

    // Another genesis for a log that has one: the node does not start.
    let mut genesis = exercise.genesis();
    genesis.title = "Another agreement".into();
    let mut with_other = config;
    let file = dir.path().join("other.note");
    std::fs::write(&file, exercise.genesis_note(&genesis)).unwrap();
    with_other.genesis = Some(file);
    let error = truce_server::start(with_other, None).await.unwrap_err();
    assert!(
        format!("{error:#}").contains("already has a genesis"),
        "{error:#}"
    );
}

#[tokio::test]
async fn a_node_refuses_to_start_without_the_log_key_its_genesis_names() {
    let exercise = Exercise::from_seed(ORIGIN, 8);
    let (dir, mut config) = constituted(&exercise);
    std::fs::remove_file(dir.path().join(truce_server::node::LOG_KEY_FILE)).unwrap();
    let error = truce_server::start(config.clone(), None).await.unwrap_err();
    assert!(
        format!("{error:#}").contains("is missing: the genesis names the log key"),
        "{error:#}"
    );

    let other = Exercise::from_seed(ORIGIN, 9);
    let key_file = dir.path().join(truce_server::node::LOG_KEY_FILE);
    truce_server::keyfile::write_key(&key_file, &other.log_key).unwrap();
    let error = truce_server::start(config.clone(), None).await.unwrap_err();
    assert!(
        format!("{error:#}").contains("but the genesis names"),
        "{error:#}"
    );

    config.genesis = Some(dir.path().join("absent.note"));
    assert!(truce_server::start(config, None).await.is_err());
}
