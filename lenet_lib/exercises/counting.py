"""Self-checks for the chapter *Counting parameters and connections*.

The reference answers are counted here with ``lenet_lib.counting`` from the
slides' layer table, so they follow the chapter's own formulas.
"""

from __future__ import annotations

from dataclasses import replace

from lenet_lib.counting import C3_TABLE, SLIDES_TABLE, Conv, count_layer, count_layers
from lenet_lib.exercises import Feedback, Text, as_number, check_number, verdict

#: C1's kernels in the variant of the first exercise (the slides have 6).
VARIANT_C1_FILTERS = 10

_PARAMETERS = Text("a count of parameters", "参数的个数")
_CONNECTIONS = Text("a count of connections", "连接数")


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
        answer, _PARAMETERS, sum(params for params, _ in variant.values()),
        Text("C1 and C3 both grow: C3's kernels now cover 10 input maps.",
             "C1 和 C3 都变大了：C3 的卷积核现在要覆盖 10 张输入特征图。"),
        [(original, Text("That is the slides' own total; C1 now has 10 kernels instead of 6.",
                         "这是讲义原来的总数；现在 C1 有 10 个卷积核，而不是 6 个。")),
         (original + c1_change,
          Text("C1 is counted right, but C3 reads C1's maps (after S2): each C3 kernel now spans 10 maps.",
               "C1 算对了，但 C3 读取的是 C1 的特征图（经过 S2 之后）：现在 C3 的每个卷积核都跨越 10 个特征图。")),
         (original + c3_change, Text("C3 is counted right; C1 itself also has more kernels.",
                                     "C3 算对了；C1 本身的卷积核也变多了。")),
         (original + c1_change + c3_change - VARIANT_C1_FILTERS,
          Text("Almost: each of C1's kernels has a bias too.", "差一点：C1 的每个卷积核也各有一个偏置。"))],
        Text("Recount the two layers that change: C1 ((5·5·1 + 1) per kernel) and C3, whose "
             "kernels span every map C1 makes; the other layers are unchanged.",
             "重新数一数发生变化的两层：C1（每个卷积核 (5·5·1 + 1) 个参数）和 C3"
             "（它的卷积核跨越 C1 产生的每个特征图）；其他层不变。"))


def check_c1_connections(answer: object) -> Feedback:
    """Exercise: connections of the slides' C1 (6 kernels of 5×5 on a 32×32 input)."""
    params, right = _slides_counts(6)["C1"]
    positions = right // params  # 28·28 output pixels per map
    return check_number(
        answer, _CONNECTIONS, right,
        Text("Few parameters, many connections: each weight is reused at every output position.",
             "参数少，连接多：每个权重在每个输出位置上都被重复使用。"),
        [(params, Text("That is C1's parameter count; each parameter is used once per output position.",
                       "这是 C1 的参数个数；每个参数在每个输出位置上都要用一次。")),
         ((params - 6) * positions, Text("Almost: the paper counts the bias as one connection per output pixel too.",
                                         "差一点：论文把偏置也算作每个输出像素的一个连接。")),
         (params * 32 * 32, Text("Count the output positions (the map after the 5×5 window), not the input pixels.",
                                 "要数的是输出位置（5×5 窗口扫过后得到的特征图），而不是输入像素。")),
         (params // 6 * positions, Text("That is one map; C1 makes 6.", "这只是一个特征图；C1 会产生 6 个。"))],
        Text("connections = parameters × output height × output width.",
             "连接数 = 参数个数 × 输出高度 × 输出宽度。"))


def check_c3_savings(parameters: object, connections: object) -> Feedback:
    """Exercise: parameters and connections the paper's C3 table saves over a full C3."""
    params_value = as_number(parameters, _PARAMETERS)
    if params_value is None:
        return Feedback(False)
    connections_value = as_number(connections, _CONNECTIONS)
    if connections_value is None:
        return Feedback(False)
    full = count_layer((14, 14, 6), Conv("C3", 16, 5))
    partial = count_layer((14, 14, 6), Conv("C3", 16, 5, table=C3_TABLE))
    right_params = full.params - partial.params
    right_connections = full.connections - partial.connections
    if (params_value, connections_value) == (right_params, right_connections):
        return verdict(True, Text("The table saves more than a third of C3's weights and multiply-adds alike.",
                                  "这张连接表让 C3 的权重和乘加运算都省下了三分之一以上。"))
    if params_value in (full.params, partial.params):
        hint = Text("Give the difference between a full C3 and the paper's C3, not one of the counts.",
                    "请给出完整的 C3 与论文中 C3 的差值，而不是其中某一个的计数。")
    elif params_value != right_params:
        hint = Text("Recount the parameters: a map reading m input maps has 25m + 1; sum over the table "
                    "and compare with 16 · (25·6 + 1).",
                    "重新数一数参数：每个读取 m 个输入特征图的输出特征图有 25m + 1 个参数；按表求和，"
                    "再与 16 · (25·6 + 1) 比较。")
    elif connections_value == right_params:
        hint = Text("The parameters are right; each is used at every one of C3's 10×10 output positions.",
                    "参数对了；每个参数在 C3 的 10×10 个输出位置上都要各用一次。")
    else:
        hint = Text("The parameters are right; connections = parameters × 10 × 10 for C3.",
                    "参数对了；对 C3 来说，连接数 = 参数个数 × 10 × 10。")
    return verdict(False, hint=hint)


__all__ = ["VARIANT_C1_FILTERS", "check_c1_connections", "check_c1_variant", "check_c3_savings"]
