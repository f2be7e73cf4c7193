# Shared steps of scripts/run and scripts/test: a Python with venv, and the
# repository's .venv with dockertui installed. The caller sets repo_root and
# venv_dir, and the extras to install in DOCKERTUI_EXTRAS (for example "[test]").

say() {
    printf '%s: %s\n' "$(basename "$0")" "$*" >&2
}

# The system interpreter is preferred so that user nobody can run it in the
# permission tests; pyenv keeps its interpreters under /root.
pick_python() {
    if [ -n "${PYTHON:-}" ]; then
        printf '%s\n' "$PYTHON"
    elif [ -x /usr/bin/python3 ]; then
        printf '%s\n' /usr/bin/python3
    else
        command -v python3
    fi
}

ensure_python() {
    local python
    python=$(pick_python || true)
    if [ -n "$python" ] && "$python" -c 'import ensurepip, venv' 2>/dev/null; then
        return 0
    fi
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        say "python3 with the venv module is missing: install python3-venv and" \
            "python3-pip (sudo apt-get install -y python3-venv python3-pip)."
        exit 1
    fi
    say "installing python3-venv and python3-pip"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        python3 python3-venv python3-pip >/dev/null
}

# Create .venv and install the package; skipped while pyproject.toml is unchanged.
ensure_venv() {
    local python stamp wanted
    python=$(pick_python)
    if [ ! -x "$venv_dir/bin/python" ]; then
        say "creating $venv_dir"
        "$python" -m venv "$venv_dir"
    fi
    stamp="$venv_dir/.dockertui-installed"
    wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)${DOCKERTUI_EXTRAS:-}"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
        return 0
    fi
    say "installing dockertui and its test dependencies into $venv_dir"
    "$venv_dir/bin/python" -m pip install --quiet --upgrade pip
    "$venv_dir/bin/python" -m pip install --quiet -e ".${DOCKERTUI_EXTRAS:-}"
    printf '%s\n' "$wanted" >"$stamp"
}

