//! The API's routes: `/api/v1/`, the C2SP tiles under `/log/`, the Atom feeds, health
//! and metrics. The server adds the web pages and the layers every answer goes through.

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;
use crate::{feeds, ops, tlog, v1};

/// The JSON API, the log's tiles, the feeds, health and metrics.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .route("/log/checkpoint", get(tlog::checkpoint))
        .route("/log/vkey", get(tlog::vkey))
        .route("/api/v1/log/witnesses", get(v1::witnesses::list))
        .route("/log/tile/{*path}", get(tlog::tile))
        .route("/api/v1/entries", post(v1::entries::submit))
        .route("/api/v1/entries/batch", post(v1::entries::submit_batch))
        .route("/api/v1/entries/{index}", get(v1::entries::get))
        .route("/api/v1/entries/{index}/proof", get(v1::entries::proof))
        .route("/api/v1/reports", get(v1::reports::list))
        .route(
            "/api/v1/reports/provenance",
            post(v1::provenance::provenance),
        )
        .route("/api/v1/reports/{index}", get(v1::reports::get))
        .route("/api/v1/incidents", get(v1::incidents::list))
        .route("/api/v1/incidents/{index}", get(v1::incidents::get))
        .route("/api/v1/investigations", get(v1::workflow::investigations))
        .route(
            "/api/v1/investigations/{index}",
            get(v1::workflow::investigation),
        )
        .route("/api/v1/findings", get(v1::workflow::findings))
        .route("/api/v1/findings/{index}", get(v1::workflow::finding))
        .route("/api/v1/measures", get(v1::workflow::measures))
        .route("/api/v1/measures/{index}", get(v1::workflow::measure))
        .route("/api/v1/talks", get(v1::workflow::rounds))
        .route("/api/v1/talks/{index}", get(v1::workflow::round))
        .route("/api/v1/commitments", get(v1::workflow::commitments))
        .route("/api/v1/compliance", get(v1::compliance::summary))
        .route("/api/v1/agreement", get(v1::agreement::agreement))
        .route(
            "/api/v1/publications",
            get(v1::publications::list_publications),
        )
        .route("/api/v1/custodians", get(v1::testimony::custodians))
        .route("/api/v1/testimonies", get(v1::testimony::list))
        .route("/api/v1/testimonies/{index}", get(v1::testimony::get))
        .route(
            "/api/v1/sealed/{sha256}",
            // The upload checks the request's signature before reading the body, and
            // enforces limits.evidence_bytes_max itself (v1::testimony::upload).
            get(v1::testimony::download).put(v1::testimony::upload),
        )
        .route(
            "/api/v1/public-reports/{id}/sealed-contact",
            get(v1::testimony::sealed_contact),
        )
        .route("/api/v1/login", post(v1::session::login))
        .route("/api/v1/logout", post(v1::session::logout))
        .route("/api/v1/me", get(v1::session::me))
        .route("/api/v1/tokens", post(v1::session::token))
        .route("/api/v1/people", post(v1::session::create_person))
        .route("/api/v1/actions", post(v1::actions::act))
        .route(
            "/api/v1/webhooks",
            get(v1::webhooks::list).post(v1::webhooks::create),
        )
        .route(
            "/api/v1/webhooks/{id}",
            get(v1::webhooks::get).delete(v1::webhooks::delete),
        )
        .route(
            "/api/v1/webhooks/{id}/deliveries",
            get(v1::webhooks::deliveries),
        )
        .route(
            "/api/v1/evidence/{sha256}",
            // The upload streams its body and enforces limits.evidence_bytes_max itself,
            // after checking the token (v1::evidence::upload).
            get(v1::evidence::download).put(v1::evidence::upload),
        )
        .route("/api/v1/openapi.json", get(v1::openapi::serve))
        .route("/api/v1/geo/locate", get(v1::geo::locate))
        .route("/api/v1/geo/border", get(v1::geo::border))
        .route("/api/v1/geo/provinces", get(v1::geo::provinces))
        .route("/api/v1/geo/countries", get(v1::geo::countries))
        .route("/api/v1/geo/crossings", get(v1::geo::crossings))
        .route("/api/v1/geo/reports", get(v1::reports::map::reports))
        .route("/api/v1/exports/reports.csv", get(v1::export::csv))
        .route("/api/v1/exports/reports.hxl.csv", get(v1::export::hxl))
        .route("/api/v1/exports/reports.acled.csv", get(v1::export::acled))
        .route("/api/v1/exports/reports.ucdp.csv", get(v1::export::ucdp))
        .route("/api/v1/exports/reports.geojson", get(v1::export::geojson))
        .route(
            "/api/v1/exports/observations.csv",
            get(v1::export::observations::csv),
        )
        .route("/api/v1/restrictions", get(v1::workflow::restrictions))
        .route("/api/v1/liaison", get(v1::workflow::contacts))
        .route("/api/v1/observations", get(v1::observations::list))
        .route("/api/v1/observations/daily", get(v1::observations::daily))
        .route("/api/v1/sensors", get(v1::observations::sensors))
        .route("/api/v1/crossings", get(v1::crossings::list))
        .route("/feeds/findings.atom", get(feeds::findings))
        .route("/feeds/reports.atom", get(feeds::reports))
        .route("/api/v1/crossings/{id}", get(v1::crossings::get))
        .route("/api/v1/actors", get(v1::actors::actors))
        .route("/api/v1/actors/{key}", get(v1::actors::actor))
        .route("/api/v1/keys", get(v1::keys::list))
        .route("/api/v1/keys/{*name}", get(v1::keys::get))
}
