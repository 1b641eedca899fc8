#!/usr/bin/env bash
# Fetches a full emoji data set into the repository root's data/ folder (or $DATA_DIR):
#   tools/emoji-data/fetch.sh          npm emoji-datasource-google@16.0.0 into data/emoji/ (training and evaluation)
#   tools/emoji-data/fetch.sh apple    npm emoji-datasource-apple@16.0.0 into data/emoji-apple/ (the style-shift
#                                      test set: same schema, names and labels, Apple's artwork)
# Each holds emoji.json, LICENSE, README.md (it states the image licence) and img/<style>/64/*.png. Idempotent: does
# nothing when a complete fetch is already there. Needs npm and tar; Google's tarball is about 74 MB, the
# extracted part about 22 MB.
set -euo pipefail

STYLE="${1:-google}"
case "$STYLE" in
  google|apple) ;;
  *) echo "usage: $0 [google|apple]   (unknown style '$STYLE')" >&2; exit 2 ;;
esac
PACKAGE="emoji-datasource-$STYLE"
VERSION="16.0.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ "$STYLE" == google ]]; then
  DEST="${DATA_DIR:-$ROOT/data/emoji}"
else
  DEST="${DATA_DIR:-$ROOT/data/emoji-$STYLE}"
fi

count_pngs() {
  find "$DEST/img/$STYLE/64" -maxdepth 1 -name '*.png' 2>/dev/null | wc -l
}

if [[ -f "$DEST/emoji.json" && -f "$DEST/LICENSE" && -f "$DEST/.complete" ]]; then
  echo "$(cat "$DEST/.complete") already in $DEST: $(count_pngs) PNGs (delete the folder to fetch again)"
  exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
echo "Downloading $PACKAGE@$VERSION with npm pack ..."
(cd "$WORK" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
TARBALL="$WORK/$PACKAGE-$VERSION.tgz"
[[ -f "$TARBALL" ]] || { echo "npm pack did not produce $TARBALL" >&2; exit 1; }

echo "Extracting emoji.json, LICENSE, README.md and img/$STYLE/64 ..."
tar -xzf "$TARBALL" -C "$WORK" package/emoji.json package/LICENSE package/README.md "package/img/$STYLE/64"
rm -rf "$DEST"
mkdir -p "$DEST/img/$STYLE"
mv "$WORK/package/emoji.json" "$WORK/package/LICENSE" "$WORK/package/README.md" "$DEST/"
mv "$WORK/package/img/$STYLE/64" "$DEST/img/$STYLE/64"
echo "$PACKAGE@$VERSION" > "$DEST/.complete"
echo "Fetched $PACKAGE@$VERSION into $DEST: $(count_pngs) PNGs"
