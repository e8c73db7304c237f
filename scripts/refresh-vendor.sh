#!/usr/bin/env bash
# Re-fetch the browser assets from npm: the query editor (YASGUI, the @zazuko/yasgui fork)
# into server/web/static/vendor/@zazuko/yasgui/, and Cytoscape.js (the graph views, issue 7) into
# server/web/static/vendor/cytoscape/, and vis-timeline (the appeals timeline) into
# server/web/static/vendor/vis-timeline/. The result is committed: neither CI nor users need
# Node.js (DESIGN.md, Server surface); only whoever updates them runs this, with npm.
#
#   bash scripts/refresh-vendor.sh [VERSION]      # VERSION of YASGUI; default: pinned below
#   CYTOSCAPE_VERSION=3.35.0 VIS_TIMELINE_VERSION=8.5.4 bash scripts/refresh-vendor.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGE="@zazuko/yasgui"
VERSION="${1:-4.6.2}"
DEST="server/web/static/vendor/$PACKAGE"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# the package and its runtime dependencies (bundled into yasgui.min.js), for their licences
npm install --prefix "$tmp" --omit=dev --ignore-scripts --no-audit --no-fund --silent \
  "$PACKAGE@$VERSION"
src="$tmp/node_modules/$PACKAGE"

rm -rf "$DEST"
mkdir -p "$DEST"
cp "$src/build/yasgui.min.js" "$src/build/yasgui.min.css" "$src/package.json" "$DEST/"
# no source map is shipped: drop the comment that would make browsers ask for one
sed -i '/^\/\/# sourceMappingURL=/d' "$DEST/yasgui.min.js"

{
  echo "$PACKAGE $VERSION — licence: $(node -p "require('$src/package.json').license")"
  echo "Source: the Yasgui repository (fork of TriplyDB/Yasgui), npm package $PACKAGE."
  echo "The npm package ships no licence file; this is the MIT licence text of the Yasgui"
  echo "repository (LICENSE.txt), followed by the licences of the packages bundled into"
  echo "yasgui.min.js."
  echo
  cat <<'MIT'
The MIT License (MIT)

Copyright © 2018 Ruben Taelman

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
MIT
  for pj in $(find "$tmp/node_modules" -name package.json -path '*/node_modules/*/package.json' \
      -not -path "*/$PACKAGE/*" | sort); do
    dir="$(dirname "$pj")"
    lic="$(ls "$dir" | grep -i -E '^(licen[cs]e|copying)' | head -1 || true)"
    name="$(node -p "require('$pj').name || ''" 2>/dev/null || true)"
    [ -n "$name" ] || continue
    echo
    echo "================================================================================"
    echo "$name $(node -p "require('$pj').version") — $(node -p "JSON.stringify(require('$pj').license || '')")"
    echo "================================================================================"
    if [ -n "$lic" ]; then cat "$dir/$lic"; fi
  done
} > "$DEST/LICENSE"
echo "refreshed $DEST from $PACKAGE@$VERSION" >&2

# -- Cytoscape.js (issue 7): one file, no runtime dependencies, MIT licence in the package --
CYTOSCAPE_VERSION="${CYTOSCAPE_VERSION:-3.35.0}"
CYTOSCAPE_DEST="server/web/static/vendor/cytoscape"
npm install --prefix "$tmp" --omit=dev --ignore-scripts --no-audit --no-fund --silent \
  "cytoscape@$CYTOSCAPE_VERSION"
src="$tmp/node_modules/cytoscape"
rm -rf "$CYTOSCAPE_DEST"
mkdir -p "$CYTOSCAPE_DEST"
cp "$src/dist/cytoscape.min.js" "$src/LICENSE" "$src/package.json" "$CYTOSCAPE_DEST/"
sed -i '/^\/\/# sourceMappingURL=/d' "$CYTOSCAPE_DEST/cytoscape.min.js"
echo "refreshed $CYTOSCAPE_DEST from cytoscape@$CYTOSCAPE_VERSION" >&2

# -- vis-timeline (the appeals timeline of /graph, issue 18): the standalone build, which
# bundles its dependencies (moment, vis-data, hammerjs …): their licences are appended --
VIS_TIMELINE_VERSION="${VIS_TIMELINE_VERSION:-8.5.4}"
VIS_DEST="server/web/static/vendor/vis-timeline"
vis="$(mktemp -d)"
trap 'rm -rf "$tmp" "$vis"' EXIT
# npm installs the peer dependencies too: the packages the standalone build bundles
npm install --prefix "$vis" --ignore-scripts --no-audit --no-fund --silent \
  "vis-timeline@$VIS_TIMELINE_VERSION"
src="$vis/node_modules/vis-timeline"
rm -rf "$VIS_DEST"
mkdir -p "$VIS_DEST"
cp "$src/standalone/umd/vis-timeline-graph2d.min.js" "$src/styles/vis-timeline-graph2d.min.css" \
  "$src/package.json" "$VIS_DEST/"
sed -i '/^\/\/# sourceMappingURL=/d' "$VIS_DEST/vis-timeline-graph2d.min.js"
sed -i 's#/\*\# sourceMappingURL=[^*]*\*/##' "$VIS_DEST/vis-timeline-graph2d.min.css"
{
  echo "vis-timeline $VIS_TIMELINE_VERSION — licence: Apache-2.0 OR MIT (either, at your choice)"
  echo
  cat "$src/LICENSE.md"
  echo
  cat "$src/LICENSE.MIT.txt"
  echo
  cat "$src/LICENSE.Apache-2.0.txt"
  for name in $(node -p "Object.keys(require('$src/package.json').peerDependencies).join(' ')"); do
    dir="$vis/node_modules/$name"
    [ -d "$dir" ] || continue
    lic="$(ls "$dir" | grep -i -E '^(licen[cs]e|copying)' | head -1 || true)"
    echo
    echo "================================================================================"
    echo "$name $(node -p "require('$dir/package.json').version") (bundled into the standalone build) — $(node -p "JSON.stringify(require('$dir/package.json').license || '')")"
    echo "================================================================================"
    if [ -n "$lic" ]; then cat "$dir/$lic"; fi
  done
} > "$VIS_DEST/LICENSE"
echo "refreshed $VIS_DEST from vis-timeline@$VIS_TIMELINE_VERSION" >&2
