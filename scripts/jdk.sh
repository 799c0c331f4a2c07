# Sourced by ./strata and ./run-tests: finds a JDK 25 (JAVA_HOME first, then /usr/lib/jvm).
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1
}

find_jdk() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME")" = "25" ]; then
    echo "$JAVA_HOME"; return 0
  fi
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate")" = "25" ]; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

require_jdk() {
  if ! jdk="$(find_jdk)"; then
    echo "$1: no JDK 25 found (set JAVA_HOME to one, or install Temurin 25 under /usr/lib/jvm)" >&2
    exit 1
  fi
}
