//! `truce <noun> list` and `truce <noun> show`: the JSON API's records, as one line each
//! for a person or as the node's JSON.

use serde_json::Value;

use crate::Failure;
use crate::client::Node;

/// Where to read from, and how to answer.
#[derive(clap::Args)]
pub struct Read {
    /// The node to read from.
    #[arg(long, env = "TRUCE_SERVER", default_value = "http://127.0.0.1:8080")]
    server: String,
    /// Print the node's JSON answer.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct List {
    /// Filters as NAME=VALUE, the API's query parameters (`party=af`, `status=final`,
    /// `limit=10`, `cursor=...`); see docs/api.md or /api/v1/openapi.json for each list's.
    filters: Vec<String>,
    #[command(flatten)]
    read: Read,
}

#[derive(clap::Args)]
pub struct Show {
    /// The record's log index.
    index: u64,
    #[command(flatten)]
    read: Read,
}

/// An API collection and how one of its records is summed up in a line.
pub struct Collection {
    pub path: &'static str,
    pub label: fn(&Value) -> String,
}

impl Read {
    /// The node's answer at `path`, with `filters` (`NAME=VALUE`) as query parameters.
    pub async fn get(&self, path: &str, filters: &[String]) -> Result<Value, Failure> {
        let mut query = Vec::new();
        for filter in filters {
            let (name, value) = filter.split_once('=').ok_or_else(|| {
                Failure::usage(anyhow::anyhow!("filter {filter:?}: give NAME=VALUE"))
            })?;
            query.push((name.to_string(), value.to_string()));
        }
        Node::new(&self.server, self.json)
            .get_query(path, &query)
            .await
    }

    /// Whether to print the node's JSON rather than lines.
    pub fn json(&self) -> bool {
        self.json
    }

    /// The node, to read what the API does not list.
    pub fn node(&self) -> Node {
        Node::new(&self.server, self.json)
    }
}

impl List {
    /// The node's answer at `path` under this list's filters.
    pub async fn get(&self, path: &str) -> Result<Value, Failure> {
        self.read.get(path, &self.filters).await
    }

    pub fn json(&self) -> bool {
        self.read.json
    }
}

pub async fn list(collection: &Collection, args: List) -> Result<(), Failure> {
    let page = args.get(&format!("/api/v1/{}", collection.path)).await?;
    if args.read.json {
        println!("{page}");
        return Ok(());
    }
    for item in page["items"].as_array().into_iter().flatten() {
        println!("{}", line(collection, item));
    }
    if let Some(next) = page["next"].as_str() {
        println!("more: cursor={next}");
    }
    Ok(())
}

pub async fn show(collection: &Collection, args: Show) -> Result<(), Failure> {
    let node = Node::new(&args.read.server, args.read.json);
    let path = format!("/api/v1/{}/{}", collection.path, args.index);
    let record = node.get_query(&path, &[]).await?;
    if args.read.json {
        println!("{record}");
    } else {
        println!("{}", line(collection, &record));
        println!(
            "{}",
            serde_json::to_string_pretty(&record).expect("JSON values print")
        );
    }
    Ok(())
}

/// `index  status  label`.
fn line(collection: &Collection, item: &Value) -> String {
    let status = item["status"].as_str().unwrap_or("-");
    format!(
        "{:>6}  {status:<20}  {}",
        item["index"],
        (collection.label)(item)
    )
}

/// The text of `item`'s field `name`, or `-`.
pub fn text<'a>(item: &'a Value, name: &str) -> &'a str {
    item[name].as_str().unwrap_or("-")
}
