"""`tinytorch doctor` says, a line per need, what is there, what is missing and how to fix it;
it fails only for what is required (and in CI, the browser tests' tools too)."""

from tests.cli.conftest import no_traceback
from tinytorch.cli.doctor import NUMPY_WASM_WHEEL


def lines(shown) -> dict[str, str]:
    return {line.split("  ")[0]: line for line in shown.stdout.splitlines() if not line.startswith(" ")}


def test_a_missing_wheel_folder_is_named_with_its_fix(tinytorch_cli, tmp_path):
    nowhere = tmp_path / "no-wheels-here"
    shown = tinytorch_cli("doctor", env={"TINYTORCH_WHEELS": str(nowhere)})
    assert shown.returncode == 0, shown.stdout  # optional outside CI
    wheel = lines(shown)["numpy wasm wheel"]
    assert "missing (optional)" in wheel and str(nowhere) in wheel
    assert f"fix: put {NUMPY_WASM_WHEEL}" in shown.stdout
    for need in ("Python", "NumPy", "marimo"):
        assert " ok " in lines(shown)[need]
    assert "BLAS" in lines(shown)["NumPy"]

    ci = tinytorch_cli("doctor", "--ci", env={"TINYTORCH_WHEELS": str(nowhere)})
    assert ci.returncode == 1
    assert "missing " in lines(ci)["numpy wasm wheel"] and "optional" not in lines(ci)["numpy wasm wheel"]
    assert "required and missing: " in ci.stdout and "numpy wasm wheel" in ci.stdout.splitlines()[-1]
    no_traceback(ci)


def test_a_wheel_with_the_wrong_content_is_not_ok(tinytorch_cli, tmp_path):
    (tmp_path / NUMPY_WASM_WHEEL).write_bytes(b"not a wheel")
    shown = tinytorch_cli("doctor", "--ci", env={"TINYTORCH_WHEELS": str(tmp_path)})
    assert "does not have the sha256" in lines(shown)["numpy wasm wheel"]
    assert shown.returncode == 1


def test_chromium_is_looked_for_where_the_browser_tests_look(tinytorch_cli, tmp_path):
    shown = tinytorch_cli("doctor", env={"TINYTORCH_CHROMIUM": str(tmp_path / "chromium")})
    assert "missing (optional)" in lines(shown)["Chromium"] and str(tmp_path / "chromium") in shown.stdout
    assert "apt-get install chromium" in shown.stdout


def test_the_data_mirror_line_names_what_would_be_downloaded(tinytorch_cli, tmp_path):
    shown = tinytorch_cli("doctor", env={"TINYTORCH_DATA": str(tmp_path), "TINYTORCH_CACHE": str(tmp_path)})
    data = lines(shown)["data mirror"]
    assert "missing (optional)" in data and "cifar-10, fashion-mnist, mnist" in data
