"""Per-token activation scales for a dynamically quantised ONNX graph, so a text's vector never depends on its batch.

onnxruntime's dynamic quantisation (``quantize_dynamic``) puts a ``DynamicQuantizeLinear`` before each int8
``MatMulInteger``: one scale and zero point for the whole input tensor, i.e. for every token of every text in
the call, padding included. Batched, a text's vector would then depend on its batch-mates. Here each such
input gets one symmetric scale per token (per row of the last axis) instead:

    scale = max(|x| over the row) / 127        q = round(x / scale) + 128   (uint8, zero point 128)

and each ``MatMulInteger -> Cast -> Mul(input scale x weight scale)`` that reads it becomes
``MatMulIntegerToFloat`` (onnxruntime's fused int8 GEMM, weight scales per output channel, input scale 1)
followed by a ``Mul`` by the per-token scale. Written out here rather than left to onnxruntime's own fusion,
which assumes a per-tensor input scale and would silently use the first token's for all. uint8 input with a
scalar zero point against int8 weights is the type pair the weights were quantised for (``reduce_range``
included). Integer accumulation is exact, so each token's result depends on its own row only: batched and
alone give the same vector up to float summation order elsewhere in the graph.
"""

from __future__ import annotations

from typing import Any

import numpy as np

LEVELS = 127.0  # symmetric int8 range, stored as uint8 around the zero point 128
ZERO_POINT = 128
TINY = 1e-12  # an all-zero row keeps a finite scale (its values quantise to the zero point)
_CONSTANTS = {
    "pertoken_levels": np.array(LEVELS, dtype=np.float32),
    "pertoken_tiny": np.array(TINY, dtype=np.float32),
    "pertoken_unit": np.array(1.0, dtype=np.float32),
    "pertoken_zero_point": np.array(ZERO_POINT, dtype=np.uint8),
}


def per_token_activations(model: Any) -> int:
    """Give every dynamically quantised MatMul input of ``model`` (an ``onnx.ModelProto``, edited in place)
    a scale per token.

    Returns:
        How many MatMuls now use per-token input scales.

    Raises:
        ValueError: the graph is not in the shape ``quantize_dynamic`` writes (a quantised input read by
            something other than ``MatMulInteger -> Cast -> Mul``), so it cannot be rewritten safely.
    """
    from onnx import helper, numpy_helper

    graph = model.graph
    producer = {out: node for node in graph.node for out in node.output}
    readers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            readers.setdefault(name, []).append(node)

    replaced: dict[int, list[Any]] = {}  # id(original node) -> its replacement (empty: dropped)
    rewritten = 0
    for node in graph.node:
        if node.op_type != "DynamicQuantizeLinear":
            continue
        x, quantized, scale, zero_point = node.input[0], *node.output
        replaced[id(node)] = _quantize_per_token(helper, model, node.name or x, x, quantized, scale)
        if readers.get(zero_point):
            replaced[id(node)].append(
                helper.make_node("Identity", ["pertoken_zero_point"], [zero_point], name=f"{quantized}_zp")
            )
        for matmul in readers.get(quantized, []):
            chain = _dequantize_chain(matmul, quantized, scale, producer, readers)
            if chain is None:
                raise ValueError(f"cannot rewrite {matmul.name}: not MatMulInteger -> Cast -> Mul(scales)")
            cast, output_mul, scales_mul, weight_scale = chain
            raw = f"{output_mul.output[0]}_unit_scale"
            a, b = matmul.input[0], matmul.input[1]
            b_zero = matmul.input[3] if len(matmul.input) > 3 else ""
            replaced[id(matmul)] = [
                helper.make_node(
                    "MatMulIntegerToFloat",
                    [a, b, "pertoken_unit", weight_scale, "pertoken_zero_point", b_zero],
                    [raw],
                    name=f"{matmul.name}_to_float",
                    domain="com.microsoft",
                ),
                helper.make_node(
                    "Mul", [raw, scale], [output_mul.output[0]], name=f"{matmul.name}_per_token"
                ),
            ]
            replaced[id(cast)] = []
            replaced[id(output_mul)] = []
            if len(readers[scales_mul.output[0]]) == 1:
                replaced[id(scales_mul)] = []
            rewritten += 1
    if not replaced:
        return 0
    nodes = [new for node in graph.node for new in replaced.get(id(node), [node])]
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(numpy_helper.from_array(v, k) for k, v in _CONSTANTS.items())
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return rewritten


def _quantize_per_token(
    helper: Any, model: Any, prefix: str, x: str, quantized: str, scale: str
) -> list[Any]:
    """Nodes writing ``quantized`` (uint8, zero point 128) and ``scale`` (one per row, last axis kept as 1)."""
    p = f"{prefix}_pertoken"
    return [
        helper.make_node("Abs", [x], [f"{p}_abs"], name=f"{p}_abs"),
        _reduce_max(helper, model, f"{p}_abs", f"{p}_max"),
        helper.make_node("Max", [f"{p}_max", "pertoken_tiny"], [f"{p}_safe"], name=f"{p}_safe"),
        helper.make_node("Div", [f"{p}_safe", "pertoken_levels"], [scale], name=f"{p}_scale"),
        helper.make_node("Div", ["pertoken_levels", f"{p}_safe"], [f"{p}_inverse"], name=f"{p}_inverse"),
        helper.make_node("Mul", [x, f"{p}_inverse"], [f"{p}_scaled"], name=f"{p}_scaled"),
        # rounds half to even and saturates to 0..255 in one pass; |scaled| <= 127 by construction
        helper.make_node(
            "QuantizeLinear",
            [f"{p}_scaled", "pertoken_unit", "pertoken_zero_point"],
            [quantized],
            name=f"{p}_q",
        ),
    ]


def _dequantize_chain(
    matmul: Any, quantized: str, input_scale: str, producer: dict[str, Any], readers: dict[str, list[Any]]
) -> tuple[Any, Any, Any, str] | None:
    """(Cast, output Mul, scales Mul, weight scale) after ``matmul``, as ``quantize_dynamic`` writes them."""
    if matmul.op_type != "MatMulInteger" or matmul.input[0] != quantized:
        return None  # the quantised activation must be the left operand: rows are tokens only there
    casts = readers.get(matmul.output[0], [])
    if len(casts) != 1 or casts[0].op_type != "Cast":
        return None
    muls = readers.get(casts[0].output[0], [])
    if len(muls) != 1 or muls[0].op_type != "Mul":
        return None
    other = next((name for name in muls[0].input if name != casts[0].output[0]), "")
    scales = producer.get(other)
    if scales is None or scales.op_type != "Mul" or input_scale not in scales.input:
        return None
    weight_scale = next((name for name in scales.input if name != input_scale), "")
    return casts[0], muls[0], scales, weight_scale


def _reduce_max(helper: Any, model: Any, source: str, target: str) -> Any:
    """ReduceMax over the last axis, keeping it: axes are an attribute before opset 18, an input from 18."""
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 17)
    if opset >= 18:
        from onnx import numpy_helper

        axes = f"{target}_axes"
        model.graph.initializer.append(numpy_helper.from_array(np.array([-1], dtype=np.int64), axes))
        return helper.make_node("ReduceMax", [source, axes], [target], name=target, keepdims=1)
    return helper.make_node("ReduceMax", [source], [target], name=target, axes=[-1], keepdims=1)
