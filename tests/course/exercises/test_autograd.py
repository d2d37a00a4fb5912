"""Module 05's exercises: the reference solutions pass every check, typical wrong answers fail at
least one, and the app's check cells report both outcomes. (The app's expression box is
tested in tests/course/test_graph_explorer.py.)"""

from tests.course.exercises.exercise_cases import (
    assert_app_reports_the_learners_result,
    assert_solution_passes_and_wrong_answers_fail,
)
from tinytorch.course.exercises import autograd

APP = "05_autograd"


def _silu(backward):
    """The exercise's op with another backward(self, grad)."""
    return type("WrongSiLU", (autograd.SiLUSolution,), {"backward": backward})


def _breadth_first(root):
    order, seen, queue = [], set(), [root]
    while queue:
        t = queue.pop(0)
        if id(t) not in seen:
            seen.add(id(t))
            order.append(t)
            queue.extend(t._ctx.inputs if t._ctx is not None else ())
    return order


def _recursive(root):
    order, seen = [], set()

    def visit(t):
        if id(t) in seen:
            return
        seen.add(id(t))
        for parent in t._ctx.inputs if t._ctx is not None else ():
            visit(parent)
        order.append(t)

    visit(root)
    return order[::-1]


def _with_duplicates(root):
    order, stack = [], [root]
    while stack:
        t = stack.pop()
        order.append(t)
        stack.extend(t._ctx.inputs if t._ctx is not None else ())
    return order


CASES = [
    (autograd.SILU_BACKWARD, APP, "MySiLU", [
        _silu(lambda self, grad: grad * self.s),                                  # no product rule
        _silu(lambda self, grad: self.s + self.x * self.s * (1 - self.s)),        # ignores grad
        _silu(lambda self, grad: grad * self.s * (1 - self.s)),                   # sigmoid's derivative
        _silu(lambda self, grad: grad * (self.s - self.x * self.s * (1 - self.s))),  # sign error
        _silu(lambda self, grad: None),                                           # returns nothing
    ]),
    (autograd.BACKWARD_ORDER, APP, "backward_order", [
        _breadth_first,                          # a tensor before one of its users
        _recursive,                              # right order, but recursion overflows on deep graphs
        _with_duplicates,                        # lists a tensor used twice twice
        lambda root: [root],                     # only the root
        lambda root: autograd.backward_order_solution(root)[::-1],  # inputs first
    ]),
]


def test_solutions_pass_and_wrong_answers_fail():
    for exercise, _, _, wrong in CASES:
        assert_solution_passes_and_wrong_answers_fail(exercise, wrong)


def test_app_reports_the_learners_result():
    assert_app_reports_the_learners_result(CASES, APP)
