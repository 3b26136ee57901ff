#!/usr/bin/env bash
# Re-records the markup goldens after an intended change to a page: runs
# the UI tests, then moves what they wrote under testdata/failed/ over the
# masters. Review the result with `git diff` before committing.
set -u
go test -tags fido2soft -count=1 "${@:-./ui/...}" >/dev/null 2>&1
for f in $(find . -path '*/testdata/failed/*' -type f); do
  mv "$f" "${f/\/failed\//\/}"
  echo "updated ${f/\/failed\//\/}"
done
find . -type d -path '*/testdata/failed' -empty -delete
