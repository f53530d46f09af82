//! The integration tests of `truce-server`, in one binary: one link instead of one per file.

mod actors;
mod api;
mod bad_input;
mod browser;
mod constitution;
mod crossings;
mod evidence;
mod exports;
mod feeds;
mod geo;
mod hardening;
mod imports;
mod incidents;
mod intake;
mod logins;
mod openapi;
mod projection;
mod reports;
mod revocation;
mod roles;
mod sitrep;
mod support;
mod web;
mod web_public;
mod webhooks;
mod workflow;
