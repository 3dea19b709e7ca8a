#!/usr/bin/env bash
# Lint every PHP file of the plugin, then run its PHPUnit suite.
# Needs Debian's php-cli and phpunit (apt-get install -y php-cli phpunit).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

for tool in php phpunit; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "run-tests.sh: '$tool' not found; install it with: apt-get install -y php-cli phpunit" >&2
		exit 127
	fi
done

echo "== php -l"
count=0
while IFS= read -r -d '' file; do
	if ! output=$(php -l "$file" 2>&1); then
		echo "$output" >&2
		echo "run-tests.sh: syntax error in $file" >&2
		exit 1
	fi
	count=$((count + 1))
done < <(find . -type f -name '*.php' -not -path './vendor/*' -print0 | sort -z)
echo "No syntax errors in $count PHP files."

echo "== phpunit"
exec phpunit --configuration phpunit.xml "$@"
