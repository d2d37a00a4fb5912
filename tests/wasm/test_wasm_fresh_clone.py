"""A fresh clone with no dataset mirror still gets its data: the site build fetches MNIST the
way the library does (here from a local stand-in serving upstream's files; see conftest), the
site serves it, and the 1986 app loads it in the browser."""

import json

import pytest

from tests.upstream_layout import upstream_path
from tests.wasm import browser

APP = "milestone_1986_mlp"
MNIST = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz")


def test_the_site_serves_mnist_as_upstream_published_it(fresh_clone_site):
    site, report = fresh_clone_site.path, fresh_clone_site.report
    for name in MNIST:
        served = (site / "data" / "mnist" / name).read_bytes()
        assert served == upstream_path(fresh_clone_site.upstream, f"mnist/{name}").read_bytes(), name
    size = sum((site / "data" / "mnist" / name).stat().st_size for name in MNIST)
    assert json.loads((site / "site.json").read_text())["datasets"] == {"mnist": size}
    assert f"datasets fetched (no mirror given): mnist {size / 1e6:.1f} MB" in report.notes
    assert not (site / "data" / "text").exists() and not (site / "data" / "digits").exists()


@pytest.mark.browser
def test_the_1986_app_loads_mnist_from_the_site(fresh_clone_url):
    with browser.Browser([fresh_clone_url]) as b:
        page = b.page()
        browser.open_and_run(page, f"{fresh_clone_url}embed/{APP}/")
        assert "60,000 training and 10,000 test images" in browser.output_line(page, "training and")
        assert browser.output_line(page, "MNIST is not available") == ""
        assert browser.cell_errors(page, b.console) == []
        assert b.net.outside() == []
