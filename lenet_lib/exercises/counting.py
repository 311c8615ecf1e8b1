"""Self-checks for the chapter *Counting parameters and connections*.

The reference answers are counted here with ``lenet_lib.counting`` from the
slides' layer table, so they follow the chapter's own formulas.
"""

from __future__ import annotations

from dataclasses import replace

from lenet_lib.counting import C3_TABLE, SLIDES_TABLE, Conv, count_layer, count_layers
from lenet_lib.exercises import Feedback, as_number, check_number, verdict

#: C1's kernels in the variant of the first exercise (the slides have 6).
VARIANT_C1_FILTERS = 10


def _slides_counts(c1_filters: int) -> dict[str, tuple[int, int]]:
    """{layer: (parameters, connections)} of the slides' table with ``c1_filters`` C1 kernels."""
    input_shape, layers = SLIDES_TABLE
    layers = [replace(layer, filters=c1_filters) if layer.name == "C1" else layer for layer in layers]
    return {row.name: (row.params, row.connections) for row in count_layers(input_shape, layers)}


def check_c1_variant(answer: object) -> Feedback:
    """Exercise: total parameters of the slides' LeNet-5 with 10 kernels in C1."""
    slides = _slides_counts(6)
    variant = _slides_counts(VARIANT_C1_FILTERS)
    original = sum(params for params, _ in slides.values())
    c1_change = variant["C1"][0] - slides["C1"][0]
    c3_change = variant["C3"][0] - slides["C3"][0]
    return check_number(
        answer, "a count of parameters", sum(params for params, _ in variant.values()),
        "C1 and C3 both grow: C3's kernels now cover 10 input maps.",
        [(original, "That is the slides' own total; C1 now has 10 kernels instead of 6."),
         (original + c1_change, "C1 is counted right, but C3 reads C1's maps (after S2): each C3 kernel now spans 10 maps."),
         (original + c3_change, "C3 is counted right; C1 itself also has more kernels."),
         (original + c1_change + c3_change - VARIANT_C1_FILTERS, "Almost: each of C1's kernels has a bias too.")],
        "Recount the two layers that change: C1 ((5·5·1 + 1) per kernel) and C3, whose "
        "kernels span every map C1 makes; the other layers are unchanged.")


def check_c1_connections(answer: object) -> Feedback:
    """Exercise: connections of the slides' C1 (6 kernels of 5×5 on a 32×32 input)."""
    params, right = _slides_counts(6)["C1"]
    positions = right // params  # 28·28 output pixels per map
    return check_number(
        answer, "a count of connections", right,
        "Few parameters, many connections: each weight is reused at every output position.",
        [(params, "That is C1's parameter count; each parameter is used once per output position."),
         ((params - 6) * positions, "Almost: the paper counts the bias as one connection per output pixel too."),
         (params * 32 * 32, "Count the output positions (the map after the 5×5 window), not the input pixels."),
         (params // 6 * positions, "That is one map; C1 makes 6.")],
        "connections = parameters × output height × output width.")


def check_c3_savings(parameters: object, connections: object) -> Feedback:
    """Exercise: parameters and connections the paper's C3 table saves over a full C3."""
    params_value = as_number(parameters, "a count of parameters")
    if params_value is None:
        return Feedback(False)
    connections_value = as_number(connections, "a count of connections")
    if connections_value is None:
        return Feedback(False)
    full = count_layer((14, 14, 6), Conv("C3", 16, 5))
    partial = count_layer((14, 14, 6), Conv("C3", 16, 5, table=C3_TABLE))
    right_params = full.params - partial.params
    right_connections = full.connections - partial.connections
    if (params_value, connections_value) == (right_params, right_connections):
        return verdict(True, "The table saves more than a third of C3's weights and multiply-adds alike.", "")
    if params_value in (full.params, partial.params):
        hint = "Give the difference between a full C3 and the paper's C3, not one of the counts."
    elif params_value != right_params:
        hint = ("Recount the parameters: a map reading m input maps has 25m + 1; sum over the table "
                "and compare with 16 · (25·6 + 1).")
    elif connections_value == right_params:
        hint = "The parameters are right; each is used at every one of C3's 10×10 output positions."
    else:
        hint = "The parameters are right; connections = parameters × 10 × 10 for C3."
    return verdict(False, "", hint)


__all__ = ["VARIANT_C1_FILTERS", "check_c1_connections", "check_c1_variant", "check_c3_savings"]
