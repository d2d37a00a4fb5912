"""`tinytorch milestone list | run YEAR`: run a milestone's native recipe with a progress bar,
record its measured figures and whether they met the milestone's bar
(`tinytorch.course.milestone_goals`)."""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass

from tinytorch.cli import checkout
from tinytorch.cli.bar import Bar
from tinytorch.cli.errors import CliError
from tinytorch.course import course_map, learner_record
from tinytorch.course.milestone_goals import GOALS, achieved, goal


@dataclass(frozen=True)
class Recipe:
    module: str  # in the repository's milestones/ package
    options: tuple[str, ...]  # the budget flags of `milestone run` this recipe takes
    quick: tuple[str, ...]  # its arguments for --quick: seconds, to see it work (never the bar)


RECIPES = {
    1986: Recipe("mlp_1986", ("epochs", "limit"), ("--epochs", "1", "--limit", "2000", "--hidden", "64")),
    1998: Recipe("cnn_1998", ("epochs", "limit", "dataset"),
                 ("--epochs", "1", "--limit", "256", "--widths", "8,p,16")),
    2017: Recipe("transformer_2017", ("steps",),
                 ("--steps", "10", "--eval-every", "10", "--eval-windows", "8", "--context", "32",
                  "--embed-dim", "32", "--layers", "1", "--sample-length", "20")),
}
OTHER_WAYS = {1957: "tinytorch check 1957", 1969: "tinytorch check 1969",
              2018: "tinytorch olympics run SUBMISSION"}


def add_parser(commands) -> None:
    p = commands.add_parser("milestone", help="list the milestones; run one's recipe and record it",
                            description=__doc__)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every milestone, its bar, and how to reach it")
    listing.set_defaults(run=list_milestones)
    run = actions.add_parser("run", help="run a milestone's recipe and record its figures",
                             description="Run the native recipe of milestone YEAR (1986, 1998, 2017), "
                             "show its progress, and record its measured figures in your progress.")
    run.add_argument("year", type=int, help="the milestone's year: " + ", ".join(map(str, RECIPES)))
    run.add_argument("--dataset", choices=["mnist", "cifar10"], help="1998 only (default mnist)")
    run.add_argument("--epochs", type=int, help="1986 and 1998: epochs (default: the recipe's)")
    run.add_argument("--steps", type=int, help="2017: training steps (default: the recipe's)")
    run.add_argument("--limit", type=int, help="1986 and 1998: only the first N train and test images")
    run.add_argument("--quick", action="store_true",
                     help="a run of seconds to see the recipe work (it will not meet the bar)")
    run.set_defaults(run=run_milestone)


def list_milestones(args) -> int:
    record = learner_record.load()
    for e in course_map.path():
        if e.kind != "milestone":
            continue
        done = record["milestones"].get(e.key)
        state = ("achieved" if done["achieved"] else "not achieved yet") if done else "not run yet"
        print(f"{e.number}  {e.title}  [{state}]")
        for g in (g for g in GOALS if g.key == e.key):
            print(f"      bar: {g.text}\n      why: {g.source}\n      run: {g.how}")
    return 0


def recipe_argv(args, recipe: Recipe) -> list[str]:
    """The recipe's command line from `milestone run`'s options; an option the recipe does not
    take is a usage error, not silently ignored."""
    argv = list(recipe.quick) if args.quick else []
    for option in ("dataset", "epochs", "steps", "limit"):
        value = getattr(args, option)
        if value is None:
            continue
        if option not in recipe.options:
            raise CliError(f"--{option} does not apply to milestone {args.year}", exit_code=2)
        if option != "dataset" and value < 1:
            raise CliError(f"--{option} must be at least 1, got {value}", exit_code=2)
        argv += [f"--{option}", str(value)]
    return argv


def figures_of(year: int, measured: dict) -> tuple[dict, str | None]:
    """The recorded figures of a recipe's result, and the goal's variant (1998's dataset)."""
    if year == 1986:
        return {"test_accuracy": measured["accuracy"], "train_seconds": measured["seconds"]}, None
    if year == 1998:
        dataset = measured["dataset"]
        figures = {f"{dataset}_test_accuracy": measured["test_accuracy"],
                   f"{dataset}_train_seconds": measured["seconds"]}
        return figures, dataset
    # the recipe trains on Moby Dick; the app can also train on the sonnets (one goal each)
    figures = {"moby_dick_val_loss": measured["val_loss"], "moby_dick_train_seconds": measured["seconds"]}
    return figures, "moby_dick"


def run_milestone(args) -> int:
    if args.year not in RECIPES:
        other = OTHER_WAYS.get(args.year)
        hint = f"; it is reached with `{other}`" if other else ""
        raise CliError(f"milestone {args.year} has no recipe to run{hint}; the recipes are "
                       + ", ".join(map(str, RECIPES)), exit_code=2)
    recipe = RECIPES[args.year]
    argv = recipe_argv(args, recipe)
    record_path = learner_record.default_path()
    learner_record.load(record_path)  # a corrupt record stops us before minutes of training
    checkout.import_recipes()
    module = importlib.import_module(f"milestones.{recipe.module}")
    bar = functools.partial(Bar, label=f"milestone {args.year}")
    measured = module.main(argv, progress=bar)
    figures, variant = figures_of(args.year, measured)
    target = goal(f"milestone-{args.year}", variant)
    met = target.met(figures)

    def record(r: dict) -> dict:
        """This run's figures over the last run's, so that 1998's other dataset stays shown;
        achieved when any of the milestone's bars is met by them."""
        merged = {**r["milestones"].get(target.key, {}).get("figures", {}), **figures}
        return learner_record.record_milestone(r, target.key, merged, achieved(target.key, merged))

    learner_record.update(record, record_path)
    value = figures[target.figure]
    shown = f"{value:.2%}" if "accuracy" in target.figure else f"{value:.3f}"
    verdict = "met: milestone achieved" if met else "not met"
    print(f"milestone {args.year}: {target.figure.replace('_', ' ')} {shown}; bar {target.text}: {verdict}")
    print(f"recorded in {record_path}")
    return 0 if met else 1
