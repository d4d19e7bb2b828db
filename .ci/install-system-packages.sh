#!/usr/bin/env bash
# Install the system packages the tests need, where they are missing, and print the path of
# the Chromium or Chrome the browser tests will drive (the only thing written to stdout).
#
#   Chromium or Chrome   the browser tests (tests/test_browser.py, the panels), driven by
#                        Playwright: an existing chromium, chromium-browser, google-chrome or
#                        $IMAGEREC_CHROMIUM is accepted; else Debian's `chromium`
#   poppler-utils        pdftotext and pdfimages read the PDF edition back (tests/test_pdf.py)
#   TeX Live             latexmk, XeLaTeX and the LaTeX packages Sphinx's PDF needs:
#                        latexmk texlive-xetex texlive-latex-recommended texlive-latex-extra
#                        texlive-fonts-recommended, and the DejaVu fonts (fonts-dejavu-core)
#
# With --tex-only, only what `make pdf` needs (TeX Live and the fonts; no browser, no
# poppler), as in the workflow's build job; it then prints nothing. With --check, it only
# looks: status 1 and the missing packages named where something is missing.
#
# Shared by `make test`, .ci/run and the workflow's jobs. When everything is there it
# only looks (a fraction of a second). Otherwise, on Debian or Ubuntu, it runs apt-get as
# root or through `sudo -n` (never asking for a password); where it cannot (another system,
# no sudo without a password) it stops with status 1 and names the one command to type.
set -euo pipefail

say() { printf 'install-system-packages: %s\n' "$*" >&2; }

tex_only=false
check_only=false
for arg in "$@"; do
    case "$arg" in
        --tex-only) tex_only=true ;;
        --check) check_only=true ;;
        *) say "usage: $0 [--tex-only] [--check]"; exit 2 ;;
    esac
done

if [[ -n "${IMAGEREC_CHROMIUM:-}" && ! -x "${IMAGEREC_CHROMIUM}" ]] && ! $tex_only; then
    say "IMAGEREC_CHROMIUM=$IMAGEREC_CHROMIUM is not an executable file"
    exit 1
fi

find_chromium() {
    if [[ -n "${IMAGEREC_CHROMIUM:-}" ]]; then
        echo "$IMAGEREC_CHROMIUM"
        return 0
    fi
    local name
    for name in chromium chromium-browser google-chrome google-chrome-stable; do
        command -v "$name" 2>/dev/null && return 0
    done
    for name in "/Applications/Chromium.app/Contents/MacOS/Chromium" \
                "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"; do
        [[ -x "$name" ]] && { echo "$name"; return 0; }
    done
    return 1
}

# Debian package names of what is missing.
missing() {
    if ! $tex_only; then
        find_chromium >/dev/null || echo chromium
        command -v pdftotext >/dev/null 2>&1 && command -v pdfimages >/dev/null 2>&1 || echo poppler-utils
    fi
    command -v latexmk >/dev/null 2>&1 || echo latexmk
    command -v xelatex >/dev/null 2>&1 || echo texlive-xetex
    if command -v kpsewhich >/dev/null 2>&1; then
        kpsewhich fncychap.sty >/dev/null 2>&1 || echo texlive-latex-recommended texlive-latex-extra
        kpsewhich marvosym.sty >/dev/null 2>&1 || echo texlive-fonts-recommended
    else
        echo texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
    fi
    fc-list 'DejaVu Sans Mono' family 2>/dev/null | grep -q . || echo fonts-dejavu-core
}

read -r -a packages <<<"$(missing | tr '\n' ' ')"
if ((${#packages[@]} == 0)); then
    $tex_only || find_chromium
    exit 0
fi
say "missing: ${packages[*]}"
$check_only && exit 1

distribution=""
[[ -r /etc/os-release ]] && distribution="$(. /etc/os-release && echo "${ID:-} ${ID_LIKE:-}")"
if ! command -v apt-get >/dev/null 2>&1 || [[ " $distribution " != *" debian "* && " $distribution " != *" ubuntu "* ]]; then
    if [[ "$(uname -s)" == Darwin ]]; then
        say "this script installs packages on Debian and Ubuntu only. On macOS, with Homebrew:"
        say "  brew install poppler && brew install --cask google-chrome mactex-no-gui font-dejavu"
    else
        say "no apt-get here (this script installs on Debian and Ubuntu only); install the equivalents of:"
        say "  ${packages[*]}"
    fi
    exit 1
fi

# Ubuntu's apt package for Chromium is a stub that installs a snap, which fails where snapd
# does not run (containers, CI images): there, install Chrome or the snap by hand.
if [[ " ${packages[*]} " == *" chromium "* && " $distribution " == *" ubuntu "* ]]; then
    say "no Chromium or Chrome found; on Ubuntu install one by hand (then set IMAGEREC_CHROMIUM"
    say "if it is not on PATH as chromium or google-chrome):"
    say "  sudo snap install chromium"
    exit 1
fi

if ((EUID == 0)); then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    say "cannot install without root (sudo needs a password here). Type:"
    say "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${packages[*]}"
    exit 1
fi

say "installing with apt-get (a few minutes)"
"${sudo[@]}" apt-get update -qq >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${packages[@]}" >&2

read -r -a still <<<"$(missing | tr '\n' ' ')"
if ((${#still[@]})); then
    say "still missing after apt-get: ${still[*]}"
    exit 1
fi
$tex_only || find_chromium
