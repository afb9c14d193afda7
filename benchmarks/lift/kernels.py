"""Kernels for the lifting benchmark, written in plain Python from what each kernel computes.

Names follow the suites of the Tenspiler evaluation (blend modes, llama, darknet, utdsp, dsp,
mathfu, simpl_array, blas); the code is our own.  Each kernel declares how to build its
arguments at a given size (``N`` elements per vector side / rows and columns of matrices) and
how much loop work it does, so that timings of the Python loop taken at a smaller size can be
scaled honestly.  ``expect_lift=False`` marks kernels outside the lifted fragment (a scan, a
recurrence, a gather); they are reported as not lifted, with the reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass
class Kernel:
    name: str
    suite: str
    fn: Callable[..., Any]
    args: Callable[[int, np.random.Generator], list[Any]]
    shape: str  # "vec" (N = 1e6 elements) | "mat" (N x N, N = 1024) | "cube" (3 nested loops)
    expect_lift: bool = True


KERNELS: list[Kernel] = []


def _vec(rng: np.random.Generator, n: int, lo: float = -1.0, hi: float = 1.0) -> list[float]:
    return rng.uniform(lo, hi, n).tolist()


def _pix(rng: np.random.Generator, n: int) -> list[list[int]]:
    return rng.integers(0, 256, (n, n)).tolist()


def _mat(rng: np.random.Generator, n: int) -> list[list[float]]:
    return rng.uniform(-1, 1, (n, n)).tolist()


ARGS: dict[str, Callable[[int, np.random.Generator], Any]] = {
    "v": lambda n, r: _vec(r, n),
    "w": lambda n, r: _vec(r, n, 0.1, 2.0),
    "m": lambda n, r: _mat(r, n),
    "b": lambda n, r: _pix(r, n),
    "s": lambda n, r: float(r.uniform(0.1, 2.0)),
    "n": lambda n, r: n,
    "o": lambda n, r: float(r.uniform(0, 1)),
    "i": lambda n, r: int(r.integers(0, 100)),
}


def kernel(
    suite: str,
    spec: str,
    shape: str | None = None,
    expect_lift: bool = True,
    args: Callable[[int, np.random.Generator], list[Any]] | None = None,
) -> Callable[..., Any]:
    toks = spec.split()

    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        make = args or (lambda n, r: [ARGS[t](n, r) for t in toks])
        shp = shape or ("mat" if any(t in "mb" for t in toks) else "vec")
        KERNELS.append(Kernel(fn.__name__, suite, fn, make, shp, expect_lift))
        return fn

    return deco


# ---------------------------------------------------------------- blend (8-bit images)
@kernel("blend", "b b")
def darken_blend_8(base, active):
    out = []
    for i in range(len(base)):
        row = []
        for j in range(len(base[0])):
            if base[i][j] > active[i][j]:
                pixel = active[i][j]
            else:
                pixel = base[i][j]
            row.append(pixel)
        out.append(row)
    return out


@kernel("blend", "b b")
def multiply_blend_8(base, active):
    out = []
    for i in range(len(base)):
        row = []
        for j in range(len(base[0])):
            row.append(base[i][j] * active[i][j] // 255)
        out.append(row)
    return out


@kernel("blend", "b b")
def linear_burn_8(base, active):
    out = []
    for i in range(len(base)):
        row = []
        for j in range(len(base[0])):
            row.append(base[i][j] + active[i][j] - 255)
        out.append(row)
    return out


@kernel("blend", "b b")
def color_burn_8(base, active):
    out = []
    for i in range(len(base)):
        row = []
        for j in range(len(base[0])):
            if active[i][j] == 0:
                pixel = 255
            else:
                pixel = 255 - (255 - base[i][j]) // active[i][j]
            row.append(pixel)
        out.append(row)
    return out


@kernel("blend", "b b")
def lighten_blend_8(base, active):
    out = []
    for i in range(len(base)):
        row = []
        for j in range(len(base[0])):
            if base[i][j] < active[i][j]:
                pixel = active[i][j]
            else:
                pixel = base[i][j]
            row.append(pixel)
        out.append(row)
    return out


@kernel("blend", "b b")
def screen_blend_8(base, active):
    out = []
    for i in range(len(base)):
        row = []
        for j in range(len(base[0])):
            row.append(base[i][j] + active[i][j] - base[i][j] * active[i][j] // 255)
        out.append(row)
    return out


@kernel("blend", "b b")
def linear_dodge_8(base, active):
    return [[base[i][j] + active[i][j] for j in range(len(base[0]))] for i in range(len(base))]


@kernel("blend", "b b")
def color_dodge_8(base, active):
    out = []
    for i in range(len(base)):
        row = []
        for j in range(len(base[0])):
            if active[i][j] == 255:
                pixel = 255
            else:
                pixel = base[i][j] // (255 - active[i][j])
            row.append(pixel)
        out.append(row)
    return out


@kernel("blend", "b b")
def overlay_blend_8(base, active):
    out = []
    for i in range(len(base)):
        row = []
        for j in range(len(base[0])):
            b = base[i][j]
            if b >= 128:
                pixel = 2 * b + b - 2 * b * b // 255 - 255
            else:
                pixel = 2 * b * b // 255
            row.append(pixel)
        out.append(row)
    return out


@kernel("blend", "b b")
def normal_blend_8(base, active):
    out = []
    for i in range(len(base)):
        row = []
        for j in range(len(base[0])):
            row.append(active[i][j])
        out.append(row)
    return out


@kernel("blend", "b b o")
def normal_blend_f(base, active, opacity):
    out = []
    for i in range(len(base)):
        row = []
        for j in range(len(base[0])):
            row.append(opacity * active[i][j] + (1 - opacity) * base[i][j])
        out.append(row)
    return out


@kernel("blend", "b b o i")
def dissolve_blend_8(base, active, opacity, rand_cons):
    out = []
    for i in range(len(base)):
        row = []
        for j in range(len(base[0])):
            rand_val = ((rand_cons % 100) + 1) / 100
            if opacity - rand_val >= 0:
                row.append(active[i][j])
            else:
                row.append(base[i][j])
        out.append(row)
    return out


# ---------------------------------------------------------------- llama
@kernel("llama", "m v")
def matmul(weight, input):
    output = []
    for row in range(len(weight)):
        curr = 0.0
        for col in range(len(input)):
            curr += weight[row][col] * input[col]
        output.append(curr)
    return output


@kernel("llama", "v")
def rmsnorm_part1(input):
    ss = 0.0
    for i in range(len(input)):
        ss += input[i] * input[i]
    return ss


@kernel("llama", "v v s")
def rmsnorm_part2(input, weight, ss):
    output = []
    for i in range(len(input)):
        output.append(weight[i] * (ss * input[i]))
    return output


@kernel("llama", "v n")
def softmax_part1(input, max_pos):
    max_val = input[0]
    for i in range(1, max_pos):
        max_val = max(max_val, input[i])
    return max_val


@kernel("llama", "v s n")
def softmax_part2(input, max_val, max_pos):
    output = []
    for i in range(max_pos):
        cur = math.exp(input[i] - max_val)
        output.append(cur)
    return output


@kernel("llama", "w n")
def softmax_part3(output, max_pos):
    cumsum = 0.0
    for i in range(max_pos):
        cumsum += output[i]
    return cumsum


@kernel("llama", "w s n")
def softmax_part4(unnormalized_output, sum, max_pos):
    output = []
    for i in range(max_pos):
        output.append(unnormalized_output[i] / sum)
    return output


@kernel(
    "llama",
    "",
    shape="mat",
    args=lambda n, r: [n, 1, 64, r.uniform(-1, 1, (n, 256)).tolist(), _vec(r, 256)],
)
def transformer_part1(token_position, head, head_size, key_cache_layer, q):
    attention = []
    for timestep in range(token_position):
        score = 0.0
        for i in range(head_size):
            score += q[head * head_size + i] * key_cache_layer[timestep][head * head_size + i]
        score = score / math.sqrt(head_size * 1.0)
        attention.append(score)
    return attention


@kernel(
    "llama",
    "",
    shape="mat",
    args=lambda n, r: [n, 1, 64, r.uniform(-1, 1, (n, 256)).tolist(), _vec(r, n)],
)
def transformer_part2(token_position, head, head_size, key_cache_layer, attention):
    xb = []
    for i in range(head_size):
        curr = 0.0
        for timestep in range(token_position):
            curr += attention[timestep] * key_cache_layer[timestep][head * head_size + i]
        xb.append(curr)
    return xb


@kernel("llama", "v")
def transformer_part3(input):
    output = []
    for i in range(len(input)):
        curr = input[i] * (1 / (1 + math.exp(-input[i])))
        output.append(curr)
    return output


@kernel("llama", "v v")
def transformer_part4(input1, input2):
    return [input1[i] * input2[i] for i in range(len(input1))]


# ---------------------------------------------------------------- darknet
@kernel("darknet", "v")
def mag_array(a):
    s = 0.0
    for i in range(len(a)):
        s += a[i] * a[i]
    return s


@kernel("darknet", "m m", shape="cube")
def mat_mult(m1, m2):
    out = []
    for i in range(len(m1)):
        row = []
        for j in range(len(m2[0])):
            curr = 0.0
            for k in range(len(m2)):
                curr += m1[i][k] * m2[k][j]
            row.append(curr)
        out.append(row)
    return out


@kernel("darknet", "v s")
def scale_array(a, scale):
    return [v * scale for v in a]


@kernel("darknet", "v")
def sum_array(a):
    s = 0.0
    for v in a:
        s += v
    return s


@kernel("darknet", "n v v")
def ol_l2_cpu1(n, pred, truth):
    error = []
    for i in range(n):
        diff = truth[i] - pred[i]
        error.append(diff * diff)
    return error


@kernel("darknet", "n v v")
def ol_l2_cpu2(n, pred, truth):
    delta = []
    for i in range(n):
        delta.append(truth[i] - pred[i])
    return delta


@kernel("darknet", "n v v")
def l1_cpu(n, pred, truth):
    error = []
    for i in range(n):
        error.append(abs(truth[i] - pred[i]))
    return error


@kernel("darknet", "n v v")
def smooth_l1_cpu(n, pred, truth):
    error = []
    for i in range(n):
        diff = truth[i] - pred[i]
        abs_val = abs(diff)
        if abs_val < 1:
            e = diff * diff
        else:
            e = 2 * abs_val - 1
        error.append(e)
    return error


@kernel("darknet", "n w w")
def softmax_x_ent_cpu(n, pred, truth):
    error = []
    for i in range(n):
        t = truth[i]
        p = pred[i]
        error.append(-t * math.log(p) if t > 0 else 0.0)
    return error


@kernel("darknet", "n s v v")
def axpy_cpu(n, a, x, y):
    out = []
    for i in range(n):
        out.append(y[i] + a * x[i])
    return out


@kernel("darknet", "n s v v")
def mult_add_into_cpu(n, a, x, y):
    return [y[i] + x[i] * a for i in range(n)]


@kernel("darknet", "n s")
def fill_cpu(n, value):
    out = []
    for i in range(n):
        out.append(value)
    return out


@kernel("darknet", "n v")
def copy_cpu(n, x):
    return [x[i] for i in range(n)]


@kernel("darknet", "n v v v")
def weighted_sum_cpu(n, a, b, s):
    out = []
    for i in range(n):
        out.append(s[i] * a[i] + (1 - s[i]) * b[i])
    return out


@kernel("darknet", "n v")
def logistic_cpu(n, x):
    return [1.0 / (1.0 + math.exp(-x[i])) for i in range(n)]


@kernel("darknet", "n v")
def relu_cpu(n, x):
    return [max(x[i], 0.0) for i in range(n)]


@kernel("darknet", "n v s")
def leaky_cpu(n, x, slope):
    out = []
    for i in range(n):
        out.append(x[i] if x[i] > 0 else slope * x[i])
    return out


# ---------------------------------------------------------------- utdsp
@kernel("utdsp", "v v")
def lmsfir1(input, coefficient):
    s = 0.0
    for i in range(len(input)):
        s += input[i] * coefficient[i]
    return s


@kernel("utdsp", "v v s")
def lmsfir2(input, coefficient, error):
    out = []
    for i in range(len(input)):
        out.append(coefficient[i] + input[i] * error)
    return out


@kernel("utdsp", "m m", shape="cube")
def mult_big(a, b):
    return [
        [sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))]
        for i in range(len(a))
    ]


@kernel("utdsp", "v v", expect_lift=False)
def fir_small(input, coefficient):
    out = []
    for i in range(len(input) - len(coefficient)):
        s = 0.0
        for j in range(len(coefficient)):
            s += coefficient[j] * input[i + j]
        out.append(s)
    return out


@kernel("utdsp", "v s", expect_lift=False)
def iir_first_order(x, alpha):
    y = 0.0
    for v in x:
        y = alpha * y + v
    return y


@kernel("utdsp", "v")
def prefix_sum(x):
    out = []
    s = 0.0
    for v in x:
        s += v
        out.append(s)
    return out


# ---------------------------------------------------------------- dsp (dspstone)
@kernel("dsp", "m m")
def matadd(a, b):
    out = []
    for i in range(len(a)):
        row = []
        for j in range(len(a[0])):
            row.append(a[i][j] + b[i][j])
        out.append(row)
    return out


@kernel("dsp", "m m")
def matsub(a, b):
    return [[a[i][j] - b[i][j] for j in range(len(a[0]))] for i in range(len(a))]


@kernel("dsp", "m s")
def matscal(a, s):
    return [[x * s for x in row] for row in a]


@kernel("dsp", "v v")
def vadd(a, b):
    return [x + y for x, y in zip(a, b)]


@kernel("dsp", "v v")
def vsub(a, b):
    return [x - y for x, y in zip(a, b)]


@kernel("dsp", "v v")
def vmul(a, b):
    return [x * y for x, y in zip(a, b)]


@kernel("dsp", "v s")
def vscal(a, s):
    out = []
    for x in a:
        out.append(x * s)
    return out


@kernel("dsp", "v v v")
def n_real_updates(a, b, c):
    d = []
    for i in range(len(a)):
        d.append(c[i] + a[i] * b[i])
    return d


@kernel("dsp", "v v")
def dot_product_while(a, b):
    s = 0.0
    i = 0
    while i < len(a):
        s += a[i] * b[i]
        i += 1
    return s


# ---------------------------------------------------------------- mathfu
@kernel("mathfu", "v w")
def diveq(a, b):
    return [a[i] / b[i] for i in range(len(a))]


@kernel("mathfu", "v s")
def diveq_sca(a, s):
    return [x / s for x in a]


@kernel("mathfu", "v v")
def muleq(a, b):
    return [a[i] * b[i] for i in range(len(a))]


@kernel("mathfu", "v s")
def muleq_sca(a, s):
    return [x * s for x in a]


@kernel("mathfu", "v v")
def subeq(a, b):
    out = [0.0] * len(a)
    for i in range(len(a)):
        out[i] = a[i] - b[i]
    return out


@kernel("mathfu", "v s")
def subeq_sca(a, s):
    return [x - s for x in a]


@kernel("mathfu", "v v")
def addeq(a, b):
    out = [0.0] * len(a)
    for i in range(len(a)):
        out[i] = a[i] + b[i]
    return out


@kernel("mathfu", "v")
def negate(a):
    return [-x for x in a]


@kernel("mathfu", "v")
def len_sq(a):
    s = 0.0
    for x in a:
        s += x * x
    return s


@kernel("mathfu", "v")
def length(a):
    s = 0.0
    for x in a:
        s += x * x
    return math.sqrt(s)


@kernel("mathfu", "v")
def normalize(a):
    s = 0.0
    for x in a:
        s += x * x
    norm = math.sqrt(s)
    return [x / norm for x in a]


@kernel("mathfu", "v v o")
def lerp(a, b, t):
    return [a[i] + t * (b[i] - a[i]) for i in range(len(a))]


@kernel("mathfu", "v v")
def dist_sq(a, b):
    s = 0.0
    for x, y in zip(a, b):
        s += (x - y) * (x - y)
    return s


@kernel("mathfu", "m v")
def mat_vec_mul(m, v):
    return [sum(m[i][j] * v[j] for j in range(len(v))) for i in range(len(m))]


# ---------------------------------------------------------------- simpl_array
@kernel("simpl_array", "v")
def array_inc(a):
    return [x + 1 for x in a]


@kernel("simpl_array", "v")
def array_sum(a):
    return sum(a)


@kernel("simpl_array", "v")
def cube_in_place(a):
    return [x * x * x for x in a]


@kernel("simpl_array", "v")
def fourth_in_place(a):
    out = []
    for x in a:
        sq = x * x
        out.append(sq * sq)
    return out


@kernel("simpl_array", "v")
def sum_elts(a):
    s = 0.0
    for i in range(len(a)):
        s = s + a[i]
    return s


@kernel("simpl_array", "v")
def count_positive(a):
    c = 0
    for x in a:
        if x > 0:
            c += 1
    return c


@kernel("simpl_array", "v")
def sum_positive(a):
    s = 0.0
    for x in a:
        if x > 0:
            s += x
    return s


@kernel("simpl_array", "v")
def array_max(a):
    m = a[0]
    for x in a:
        m = max(m, x)
    return m


@kernel("simpl_array", "v")
def array_min(a):
    m = a[0]
    for i in range(1, len(a)):
        m = min(m, a[i])
    return m


@kernel("simpl_array", "w")
def array_prod(a):
    p = 1.0
    for x in a:
        p *= x
    return p


@kernel("simpl_array", "m")
def matrix_sum(a):
    s = 0.0
    for row in a:
        for x in row:
            s += x
    return s


@kernel("simpl_array", "m")
def row_sums(a):
    out = []
    for row in a:
        s = 0.0
        for x in row:
            s += x
        out.append(s)
    return out


@kernel("simpl_array", "m")
def col_sums(a):
    out = []
    for j in range(len(a[0])):
        s = 0.0
        for i in range(len(a)):
            s += a[i][j]
        out.append(s)
    return out


@kernel("simpl_array", "m")
def row_max(a):
    return [max(row) for row in a]


@kernel("simpl_array", "m")
def transpose(a):
    return [[a[i][j] for i in range(len(a))] for j in range(len(a[0]))]


@kernel("simpl_array", "v", expect_lift=False)
def argmax(a):  # carries the index of the running maximum: not a reduction of one value
    best = a[0]
    idx = 0
    for i in range(len(a)):
        if a[i] > best:
            best = a[i]
            idx = i
    return idx


@kernel("simpl_array", "v")
def pairwise_diff(a):
    return [a[i + 1] - a[i] for i in range(len(a) - 1)]


# ---------------------------------------------------------------- blas
@kernel("blas", "v v")
def dot(x, y):
    s = 0.0
    for i in range(len(x)):
        s += x[i] * y[i]
    return s


@kernel("blas", "m v")
def gemv(a, x):
    y = []
    for i in range(len(a)):
        s = 0.0
        for j in range(len(x)):
            s += a[i][j] * x[j]
        y.append(s)
    return y


@kernel("blas", "m v")
def gemv_t(a, x):
    y = []
    for j in range(len(a[0])):
        s = 0.0
        for i in range(len(a)):
            s += a[i][j] * x[i]
        y.append(s)
    return y


@kernel("blas", "s v v")
def axpy(alpha, x, y):
    return [alpha * xi + yi for xi, yi in zip(x, y)]


@kernel("blas", "v")
def asum(x):
    s = 0.0
    for v in x:
        s += abs(v)
    return s


@kernel("blas", "v")
def nrm2(x):
    return math.sqrt(sum(v * v for v in x))


@kernel("blas", "s v")
def scal(alpha, x):
    return [alpha * v for v in x]


@kernel("blas", "m m", shape="cube")
def gemm(a, b):
    return [
        [sum(a[i][k] * b[k][j] for k in range(len(a[0]))) for j in range(len(b[0]))]
        for i in range(len(a))
    ]


@kernel("blas", "v v", shape="mat")
def ger_row_scale(x, y):  # rank-1 update: outer product
    return [[xi * yj for yj in y] for xi in x]


@kernel("blas", "v")
def amax_value(x):
    m = abs(x[0])
    for v in x:
        m = max(m, abs(v))
    return m


# ---------------------------------------------------------------- element-write styles
@kernel("blas", "m m", shape="cube")
def gemm_ijk(a, b):
    n, m = len(a), len(b[0])
    c = [[0.0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            for k in range(len(b)):
                c[i][j] += a[i][k] * b[k][j]
    return c


@kernel("llama", "m v")
def matmul_inplace(weight, input):
    out = [0.0] * len(weight)
    for i in range(len(weight)):
        for j in range(len(input)):
            out[i] += weight[i][j] * input[j]
    return out


@kernel("dsp", "m s")
def matscal_inplace(a, s):
    c = [[0.0] * len(a[0]) for _ in range(len(a))]
    for i in range(len(a)):
        for j in range(len(a[0])):
            c[i][j] = a[i][j] * s
    return c


@kernel("blend", "b b")
def lighten_inplace_8(base, active):
    out = [[0] * len(base[0]) for _ in range(len(base))]
    for i in range(len(base)):
        for j in range(len(base[0])):
            out[i][j] = max(base[i][j], active[i][j])
    return out


# ---------------------------------------------------------------- running folds (scans)
@kernel("simpl_array", "v")
def running_max(x):
    out = []
    m = x[0]
    for v in x:
        m = max(m, v)
        out.append(m)
    return out


@kernel("simpl_array", "m")
def row_cumsum(a):
    out = []
    for row in a:
        s = 0.0
        r = []
        for v in row:
            s += v
            r.append(s)
        out.append(r)
    return out


@kernel("dsp", "v", expect_lift=False)
def exclusive_scan(x):  # the value before the update: not an inclusive running fold
    out = []
    s = 0.0
    for v in x:
        out.append(s)
        s += v
    return out
