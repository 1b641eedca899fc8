#!/usr/bin/env bash
# Fetches the full emoji data set (npm emoji-datasource-google@16.0.0) into data/emoji/ at the
# repository root (or $DATA_DIR): emoji.json, LICENSE, README.md (it states the image licence) and
# img/google/64/*.png. Idempotent: does nothing when a complete fetch is already there. Needs npm and
# tar; the tarball is about 74 MB, the extracted part about 22 MB.
set -euo pipefail

PACKAGE="emoji-datasource-google"
VERSION="16.0.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEST="${DATA_DIR:-$ROOT/data/emoji}"

count_pngs() {
  find "$DEST/img/google/64" -maxdepth 1 -name '*.png' 2>/dev/null | wc -l
}

if [[ -f "$DEST/emoji.json" && -f "$DEST/LICENSE" && -f "$DEST/.complete" ]]; then
  echo "$PACKAGE@$VERSION already in $DEST: $(count_pngs) PNGs (delete the folder to fetch again)"
  exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
echo "Downloading $PACKAGE@$VERSION with npm pack ..."
(cd "$WORK" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
TARBALL="$WORK/$PACKAGE-$VERSION.tgz"
[[ -f "$TARBALL" ]] || { echo "npm pack did not produce $TARBALL" >&2; exit 1; }

echo "Extracting emoji.json, LICENSE, README.md and img/google/64 ..."
tar -xzf "$TARBALL" -C "$WORK" package/emoji.json package/LICENSE package/README.md package/img/google/64
rm -rf "$DEST"
mkdir -p "$DEST/img/google"
mv "$WORK/package/emoji.json" "$WORK/package/LICENSE" "$WORK/package/README.md" "$DEST/"
mv "$WORK/package/img/google/64" "$DEST/img/google/64"
echo "$PACKAGE@$VERSION" > "$DEST/.complete"
echo "Fetched $PACKAGE@$VERSION into $DEST: $(count_pngs) PNGs"
