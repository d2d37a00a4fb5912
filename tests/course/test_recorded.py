"""Every figure an app labels as recorded on the project's machine is in the document it cites,
and its command names a script that exists."""

import pytest

from tests.conftest import REPO
from tinytorch.course import profiled_step, recorded, speedups

FIGURES = profiled_step.RECORDED + [f for group in speedups.RECORDED.values() for f in group]


@pytest.mark.parametrize("figure", FIGURES, ids=[f.what for f in FIGURES])
def test_the_document_states_the_figure_and_the_command_exists(figure):
    assert figure.figure in (REPO / figure.doc).read_text()
    script = next(word for word in figure.command.split() if word.startswith("bench/"))
    assert (REPO / script).is_file()


def test_the_table_says_where_the_figures_come_from():
    text = recorded.table(FIGURES[:2])
    assert "Recorded on the project's machine" in text and "not measured in this session" in text
    assert FIGURES[0].command in text


def test_a_native_session_names_the_machine_not_the_browser():
    assert not recorded.in_browser() and recorded.machine().startswith("this machine, natively")
