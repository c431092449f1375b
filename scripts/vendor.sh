#!/usr/bin/env bash
# Builds vendor/tachys: the crates.io release of tachys (leptos 0.8's renderer) with
# Dunwell's one change applied (vendor/patches/, vendor/README.md says what and why).
# The workspace's [patch.crates-io] points there, so every cargo command needs it first;
# `make` targets run this. `--check` also fails when the patch is no longer used by the
# crate graph (leptos moved to another tachys), so a stale patch cannot linger.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

NAME=tachys
VERSION=0.2.19
SHA256=e47e2220bb9d2a3be976a22a0fb7685a0b84499bb11ea5cb3bbc82907675ac68
PATCH="vendor/patches/$NAME-$VERSION.patch"
DEST="vendor/$NAME"
STAMP="$DEST/.dunwell-patched"
want="$VERSION $SHA256 $(sha256sum "$PATCH" | cut -d' ' -f1)"

if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$want" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  cached="$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"$NAME-$VERSION.crate" 2>/dev/null | head -n1 || true)"
  if [ -n "$cached" ]; then
    cp "$cached" "$work/crate.tar.gz"
  else
    curl -sSfL --retry 3 -o "$work/crate.tar.gz" "https://static.crates.io/crates/$NAME/$NAME-$VERSION.crate"
  fi
  echo "$SHA256  $work/crate.tar.gz" | sha256sum -c --quiet -
  tar -xzf "$work/crate.tar.gz" -C "$work"
  # git apply refuses a patch that does not apply cleanly, and says which hunk.
  (cd "$work/$NAME-$VERSION" && git apply --whitespace=nowarn "$OLDPWD/$PATCH")
  cp vendor/patches/"$NAME"-LICENSE "$work/$NAME-$VERSION/LICENSE"
  echo "$want" > "$work/$NAME-$VERSION/.dunwell-patched"
  rm -rf "$DEST"
  mv "$work/$NAME-$VERSION" "$DEST"
  echo "vendor: $NAME $VERSION patched into $DEST"
fi

if [ "${1:-}" = "--check" ]; then
  out="$(cargo metadata --format-version 1 --locked 2>&1 >/dev/null || true)"
  if grep -q "was not used in the crate graph" <<<"$out"; then
    echo "vendor: the $NAME $VERSION patch is no longer used (leptos moved on?): update or drop it" >&2
    echo "$out" >&2
    exit 1
  fi
  cargo tree --locked -e normal -i "$NAME" --target all 2>/dev/null | head -n1 | grep -q "$DEST" || {
    echo "vendor: $NAME does not resolve to $DEST" >&2
    exit 1
  }
  echo "vendor: the $NAME patch applies and is used"
fi
