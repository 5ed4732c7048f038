"""Change in a treated area against a control: displacement and diffusion.

The weighted displacement difference (WDD) tests whether crime in a treated
area fell more than in its control, net of any displacement to a buffer; the
weighted displacement quotient (WDQ) says whether the buffer gained
(displacement) or also fell (diffusion of benefit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

__all__ = ["WddResult", "weighted_displacement_difference"]


@dataclass(frozen=True)
class WddResult:
    """Weighted displacement difference and quotient.

    Attributes
    ----------
    wdd : float
        Weighted displacement difference (negative = fewer crimes than
        expected from the control).
    variance, standard_error, z, p_value : float
        Poisson variance of ``wdd``, its square root, ``wdd / se`` and the
        two-sided normal p-value.
    significant : bool
        ``p_value < alpha``.
    alpha : float
        Significance level used.
    wdq : float
        Bowers & Johnson's weighted displacement quotient; NaN without a
        buffer or where undefined.
    method : str
        Description of the calculation.
    interpretation : str
        Plain-language sentence.
    """

    wdd: float
    variance: float
    standard_error: float
    z: float
    p_value: float
    significant: bool
    alpha: float
    wdq: float
    method: str
    interpretation: str


def weighted_displacement_difference(
    treated_before: int,
    treated_after: int,
    control_before: int,
    control_after: int,
    buffer_before: int | None = None,
    buffer_after: int | None = None,
    buffer_control_before: int | None = None,
    buffer_control_after: int | None = None,
    *,
    alpha: float = 0.05,
) -> WddResult:
    r"""Weighted displacement difference test of a place-based intervention.

    With treated area :math:`T`, its control :math:`C`, a displacement
    (buffer) area :math:`D` and the buffer's control :math:`C_d` (0 = before,
    1 = after):

    .. math::

        \mathrm{WDD} = (T_1 - T_0) - (C_1 - C_0) + (D_1 - D_0) - (C_{d1} - C_{d0}).

    Writing WDD as :math:`\sum_i a_i X_i` over the distinct counts and
    treating each as Poisson (variance estimated by the count),

    .. math:: \mathrm{Var}(\mathrm{WDD}) = \sum_i a_i^2 X_i,
              \qquad z = \mathrm{WDD}/\sqrt{\mathrm{Var}}.

    When the buffer has no control of its own the treated area's control is
    used for both, so its counts enter with weight 2 (variance weight 4).
    Without a buffer, :math:`\mathrm{WDD} = \Delta T - \Delta C`.

    The weighted displacement quotient (needs a buffer) is

    .. math::

        \mathrm{WDQ} = \frac{D_1/C_{d1} - D_0/C_{d0}}{T_1/C_1 - T_0/C_0};

    WDQ > 1 diffusion of benefit larger than the direct effect, 0 < WDQ <= 1
    diffusion of benefit, WDQ < 0 displacement (read only when the
    denominator, the success measure, is negative).

    Parameters
    ----------
    treated_before, treated_after, control_before, control_after : int
        Counts in the treated and control areas before and after.
    buffer_before, buffer_after : int, optional
        Counts in the buffer (displacement) area.
    buffer_control_before, buffer_control_after : int, optional
        Counts in a separate control for the buffer.
    alpha : float, default 0.05
        Significance level.

    Returns
    -------
    WddResult

    References
    ----------
    Bowers, K. J. and Johnson, S. D. (2003). Measuring the geographical
    displacement and diffusion of benefit effects of crime prevention
    activity. *Journal of Quantitative Criminology*, 19(3), 275-301.
    Wheeler, A. P. and Ratcliffe, J. H. (2018). A simple weighted
    displacement difference test to evaluate place based crime
    interventions. *Crime Science*, 7, 11.
    """
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie strictly between 0 and 1")
    has_buffer = buffer_before is not None or buffer_after is not None
    if has_buffer and (buffer_before is None or buffer_after is None):
        raise ValueError("give both buffer_before and buffer_after")
    has_buffer_control = buffer_control_before is not None or buffer_control_after is not None
    if has_buffer_control and (buffer_control_before is None or buffer_control_after is None):
        raise ValueError("give both buffer_control_before and buffer_control_after")
    if has_buffer_control and not has_buffer:
        raise ValueError("a buffer control needs buffer counts")
    # coefficient of each distinct count in the WDD
    terms: list[tuple[float, int]] = [
        (-1.0, treated_before),
        (1.0, treated_after),
    ]
    control_weight = 1.0
    if has_buffer:
        assert buffer_before is not None and buffer_after is not None
        terms += [(-1.0, buffer_before), (1.0, buffer_after)]
        if has_buffer_control:
            assert buffer_control_before is not None and buffer_control_after is not None
            terms += [(1.0, buffer_control_before), (-1.0, buffer_control_after)]
        else:
            control_weight = 2.0
    terms += [(control_weight, control_before), (-control_weight, control_after)]
    for _, count in terms:
        if count < 0 or int(count) != count:
            raise ValueError("counts must be non-negative integers")
    wdd = float(sum(a * x for a, x in terms))
    variance = float(sum(a * a * x for a, x in terms))
    se = math.sqrt(variance)
    if se > 0:
        z = wdd / se
        p = float(2 * stats.norm.sf(abs(z)))
    else:
        z, p = math.nan, 1.0
    wdq = math.nan
    if has_buffer:
        assert buffer_before is not None and buffer_after is not None
        cd0 = buffer_control_before if has_buffer_control else control_before
        cd1 = buffer_control_after if has_buffer_control else control_after
        assert cd0 is not None and cd1 is not None
        if min(control_before, control_after, cd0, cd1) > 0:
            success = treated_after / control_after - treated_before / control_before
            displacement = buffer_after / cd1 - buffer_before / cd0
            if success != 0:
                wdq = displacement / success
    significant = bool(p < alpha)
    if significant:
        direction = "fewer" if wdd < 0 else "more"
        text = (
            f"significant: {abs(wdd):g} {direction} crimes than expected from the "
            f"control (WDD = {wdd:g}, z = {z:.2f}, p = {p:.3g})"
        )
    else:
        z_text = "undefined" if math.isnan(z) else f"{z:.2f}"
        text = f"no significant change relative to the control (WDD = {wdd:g}, z = {z_text}, p = {p:.3g})"
    method = (
        "weighted displacement difference, Poisson variance and normal z-test "
        "(Wheeler and Ratcliffe 2018); WDQ of Bowers and Johnson (2003)"
    )
    return WddResult(
        wdd=wdd,
        variance=variance,
        standard_error=se,
        z=z,
        p_value=p,
        significant=significant,
        alpha=alpha,
        wdq=wdq,
        method=method,
        interpretation=text,
    )
