from optviz.quiz import NOBODY, race_winner, verdict


def rows(*items):
    return [{"optimizer": n, "steps to tolerance": s, "diverged at": d} for n, s, d in items]


def test_winner_is_the_fewest_steps():
    table = rows(("SGD", None, None), ("Momentum", 40, None), ("Adam", 25, None))
    assert race_winner(table) == "Adam"
    assert verdict("Adam", table) == (True, "Adam got there first, in 25 steps.")
    assert verdict("SGD", table)[0] is False


def test_nobody_and_divergence():
    table = rows(("SGD", None, 6), ("Adam", None, None))
    assert race_winner(table) == NOBODY
    right, text = verdict(NOBODY, table)
    assert right and "Diverged: SGD." in text


def test_ties_go_to_the_first():
    assert race_winner(rows(("A", 10, None), ("B", 10, None))) == "A"
