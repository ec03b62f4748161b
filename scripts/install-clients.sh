#!/usr/bin/env bash
# Installs the real programs that judge bibconv's output in tests/clients.rs:
#   Debian: pdflatex + bibtex (plain, unsrt, natbib/plainnat), biblatex + biber, pandoc 2, bibutils
#   PyPI (into .venv/): pypandoc-binary (pandoc 3, reads RIS), rispy, bibtexparser
#   npm (into node_modules/, from package-lock.json): citation-js core + bibtex, ris, csl plugins
#
# Idempotent and non-interactive; a second run only checks (a few seconds).
# Usage: scripts/install-clients.sh [--versions]   (--versions: only print client versions)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD

APT_PACKAGES=(
  texlive-latex-base        # pdflatex, bibtex, plain.bst, unsrt.bst
  texlive-latex-recommended # natbib.sty, plainnat.bst, url.sty
  lmodern                   # T1 fonts for \usepackage[T1]{fontenc} (\k, \DH, … need T1)
  texlive-bibtex-extra      # biblatex (and logreq)
  biber
  pandoc                    # Debian's pandoc 2.x: reads BibTeX, BibLaTeX, CSL-JSON (no RIS)
  bibutils
)
# One file per package that proves it is usable (kpsewhich for TeX files, PATH for programs).
TEX_FILES=(plain.bst unsrt.bst plainnat.bst natbib.sty url.sty lmodern.sty biblatex.sty logreq.sty)

log() { printf '[install-clients] %s\n' "$*"; }

versions() {
  # The lines the clients print about themselves, for the test report.
  local py=$ROOT/.venv/bin/python
  printf '%-28s %s\n' pdflatex "$(pdflatex --version 2>/dev/null | head -1)"
  printf '%-28s %s\n' bibtex "$(bibtex --version 2>/dev/null | head -1)"
  printf '%-28s %s\n' natbib "$(sed -n 's/.*ProvidesPackage{natbib}\[\([^]]*\)\].*/\1/p;s/^ *\[\(20[0-9/]* [0-9.]*\).*/\1/p' "$(kpsewhich natbib.sty 2>/dev/null)" 2>/dev/null | head -1)"
  printf '%-28s %s\n' biblatex "$(sed -n 's/.*abx@version{\([^}]*\)}.*/\1/p' "$(kpsewhich biblatex.sty)" 2>/dev/null | head -1)"
  printf '%-28s %s\n' biber "$(biber --version 2>/dev/null | head -1)"
  printf '%-28s %s\n' pandoc "$(pandoc --version 2>/dev/null | head -1)"
  printf '%-28s %s\n' "pandoc (pypandoc)" "$("$(pandoc3_path)" --version 2>/dev/null | head -1)"
  printf '%-28s %s\n' bibutils "$(ris2xml --version 2>&1 | head -1)"
  printf '%-28s %s\n' node "$(node --version 2>/dev/null)"
  local pkg
  for pkg in core plugin-bibtex plugin-ris plugin-csl; do
    printf '%-28s %s\n' "@citation-js/$pkg" \
      "$(node -p "require('./node_modules/@citation-js/$pkg/package.json').version" 2>/dev/null)"
  done
  printf '%-28s %s\n' python "$("$py" --version 2>/dev/null)"
  for pkg in pypandoc-binary rispy bibtexparser; do
    printf '%-28s %s\n' "$pkg" "$("$py" -m pip show "$pkg" 2>/dev/null | sed -n 's/^Version: //p')"
  done
}

pandoc3_path() {
  "$ROOT/.venv/bin/python" -c \
    'import os, pypandoc; print(os.path.join(os.path.dirname(pypandoc.__file__), "files", "pandoc"))' \
    2>/dev/null || true
}

if [[ ${1:-} == --versions ]]; then
  versions
  exit 0
fi

# --- Debian packages ---------------------------------------------------------------------
apt_ready() {
  local f p
  for p in pdflatex bibtex biber pandoc ris2xml; do command -v "$p" >/dev/null || return 1; done
  for f in "${TEX_FILES[@]}"; do kpsewhich "$f" >/dev/null 2>&1 || return 1; done
  dpkg-query -W -f='${Status}\n' "${APT_PACKAGES[@]%% *}" 2>/dev/null | grep -qv 'install ok installed' && return 1
  return 0
}

apt_install() {
  local sudo=
  [[ $(id -u) -ne 0 ]] && sudo=sudo
  # Other processes may hold the dpkg lock: wait for it (up to 10 minutes) instead of failing.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=600 update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=600 \
    install --no-install-recommends "$@"
}

if apt_ready; then
  log "Debian packages: already installed"
else
  log "Debian packages: installing ${APT_PACKAGES[*]}"
  apt_install "${APT_PACKAGES[@]}"
  apt_ready || { log "ERROR: Debian packages installed but a file is still missing"; exit 1; }
fi

# --- PyPI packages into .venv --------------------------------------------------------------
PY=$ROOT/.venv/bin/python
py_ready() {
  [[ -x $PY ]] && "$PY" - <<'PYEOF' 2>/dev/null
import importlib.metadata as md, os, sys, pypandoc, rispy, bibtexparser
want = dict(l.split("==") for l in open("requirements-test.txt").read().split() if "==" in l)
have = {n: md.version(n) for n in want}
pandoc = os.path.join(os.path.dirname(pypandoc.__file__), "files", "pandoc")
sys.exit(0 if have == want and os.access(pandoc, os.X_OK) else 1)
PYEOF
}
if py_ready; then
  log "PyPI packages: already installed in .venv"
else
  if [[ ! -x $PY ]]; then
    log "PyPI packages: creating .venv"
    if ! python3 -m venv "$ROOT/.venv"; then
      # Debian's own python3 needs python3-venv for this.
      rm -rf "$ROOT/.venv"
      apt_install python3-venv python3-pip
      python3 -m venv "$ROOT/.venv"
    fi
  fi
  log "PyPI packages: pip install -r requirements-test.txt"
  "$PY" -m pip install --quiet --disable-pip-version-check --no-input -r requirements-test.txt
  py_ready || { log "ERROR: PyPI packages installed but not importable"; exit 1; }
fi

# --- npm packages into node_modules ---------------------------------------------------------
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  log "node/npm missing: installing Debian's nodejs and npm (citation-js 0.8 wants node >= 20)"
  apt_install nodejs npm
fi
node_ready() {
  node -e '
    const lock = require("./package-lock.json").packages;
    for (const [path, meta] of Object.entries(lock)) {
      if (!path.startsWith("node_modules/")) continue;
      let have; try { have = require("./" + path + "/package.json").version } catch { process.exit(1) }
      if (have !== meta.version) process.exit(1);
    }' 2>/dev/null
}
if node_ready; then
  log "npm packages: already installed in node_modules"
else
  log "npm packages: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  node_ready || { log "ERROR: npm packages installed but do not match package-lock.json"; exit 1; }
fi

log "client versions:"
versions | sed 's/^/  /'
