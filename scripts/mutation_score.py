"""Print the mutation score of the last ``mutmut run``, per module and overall.

Score = killed / (killed + survived); mutants listed in ``EQUIVALENT`` (name -> reason)
are left out of both, timeouts count as killed, mutants no selected test reaches
("no tests") count as survived. Run from the repository root after scripts/mutation.sh.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

_DTYPE = (
    "the dtype argument only restates the dtype the value already has (float64 amounts, "
    "int64 fen and codes) or the value is converted again before use"
)
_KIND = (
    "sort stability does not matter: the keys sorted are unique (compound ids), and numpy "
    "sorts these few Shapley remainders by insertion, which keeps ties in order either way"
)
_STRICT = (
    "zip over sequences of equal length by construction: strict only adds a check"
)
_RESHAPE = (
    "numpy reads any negative size as 'the rest': reshape(-2) equals reshape(-1)"
)
_FLOOR = (
    "np.floor without out= leaves magnitude unfloored, but magnitude is non-negative and "
    "astype(int64) truncates it to the same whole fen"
)
_ERRSTATE = (
    "the 0/0 of an undiscounted device is an 'invalid' operation (still ignored); no "
    "division by zero happens"
)
_WSUM = (
    "the fallback divisor is used only for groups whose weights are all zero, whose quotas "
    "are then zero whatever it is"
)
_CREWS_EMPTY = (
    "crews of an empty bundle: masked to 0 by any_staff, and max(crews, 1) shares posts the"
    " same"
)
_TRAVEL1 = (
    "members - 1 is below 1 only for a bundle of one member or none, whose spread is 0"
)
_PAD = (
    "padding with -2 instead of -1: padded_to_long keeps only entries >= 0, so any negative "
    "number is an empty slot"
)
_AXIS = "argsort and diff work on the last axis by default: axis 1 of these 2-D arrays"
_OBJ2 = (
    "the objective e is scaled by 2 (exact in floating point): the same optimal e and the "
    "same set of optimal solutions; only e of this program is used when a key is given"
)
_HIGHS = "linprog's default method is 'highs', and it lower-cases the name it is given"
_BOUNDS = "linprog's default bounds are (0, None) for every variable: what the list spells out"
_SPARSE = (
    "identity() without format='csr' is the same matrix in another sparse format; hstack, "
    "vstack and tocsr() build the same constraint matrix from it"
)
_LITERAL = "1e+300 and 1e300 are the same float literal"
_GROUPS = (
    "n >= 2 here (one member returns earlier): the sub-group matrix has 2^n - 2 >= 2 rows "
    "and n >= 2 columns, so the condition always holds"
)
_ONE_SIDED = (
    "the key sums to c(N) like x, so sum |x - key| = 2 sum (x - key)+: with only "
    "t >= x - key (t >= 0 is a bound, -x - key <= 0) the objective is halved and the set of "
    "optimal allocations is the same (where it has more than one, HiGHS returns one of "
    "equal distance either way)"
)
_FALSY = "None is falsy like the False it replaces"
_EMPTY_TOL = (
    ">= instead of >: differs only if the LP's epsilon equals the tolerance "
    "1e-6 x max(1, c(N)) to the last bit"
)
_GRAND = (
    "the last row of the sub-group table is the whole bundle, members in the same order, "
    "priced by the same call: the same float as pricing it again"
)
_HTML_INDEX = "pandas' to_html treats index=None like index=False (no index column)"
_BITS = "the bit matrix is used only as a 0/1 mask or converted to float64 before use"
_ALONE = (
    "the game reads only what the plan's bundles do not change (job costs before call-out "
    "sharing, posts taken and left, lines outside the contract, income, jobs at market "
    "price); with the bundles kept the game is the same"
)
_STANDING_LEFT = (
    "the shared-property channel takes all that is left of its standing roles "
    "(ctx.take of ctx.remaining), so their residual is 0 and residual + taken = taken"
)
_RANGE_INDEX = (
    "the checked table's frame has the index 0..n-1, which pandas gives a new frame anyway"
)
_EXTRA_KEY = (
    "the result's fields are read by name; compound_id or bundle_id left among the values "
    "is never read"
)
_ORIENT = "pandas reads the orient of to_dict case-insensitively"
_FEN_ROUND_TRIP = (
    "a line made from whole fen is stored as fen / 100 and rounds back to the same fen"
)
_WATERFALL_ALL = (
    "the waterfall reads only its own steps; balances of the other subsets are computed "
    "and not read"
)
_OTHER_LINES = (
    "the direct channel always makes running lines paid from fees or the pool, so the sum "
    "of the lines outside the contract is an array without the zero start"
)
_STR_ARRAY = (
    "the values are Python strings: a numpy unicode array gives the same sorted unique "
    "strings, codes and categories as an object array"
)
_HAS_LINES = (
    "k = 0 (a budget without lines) never happens: the direct channel always makes lines"
)
_NO_COLUMN = (
    "there is no cost_public_income_yuan column, and pick skips names without a column"
)
_DEFAULT_MODE = (
    "any mode but 'waterfall' computes the Shapley credit; the default's spelling only "
    "decides whether columns already computed are reused, and recomputing gives the same fen"
)
_LAST_COPY = (
    "the copy with every channel on is the last of the stack: its slice runs to the end "
    "either way (numpy clips a slice past the end)"
)
_ONE_PARTY = (
    "differs only for fewer than two parties, where there is nothing to order or to share"
)
_SORTED = (
    "sorting keys already in (group, key) order gives the identity permutation: the same "
    "layout, only slower"
)
_UNIQUE_KEYS = (
    "keys are unique (checked), so sort keys never tie and stability or the sort kind "
    "cannot change the order"
)
_RANKING = (
    "the pairwise and the sorting ranking give the same ranks (larger remainder first, "
    "then smaller key); only their speed differs"
)
_EMPTY_WIDTH = "with no groups range(1, width) is empty for a width of 0 or 1"
_SIGN_ZERO = "the sign is also restored where a total is zero, whose shares are all zero"
_UNIT_ONE = "a group whose units sum to 1 divides by 1 either way"
_SINGLE_GROUP = (
    "a group of one party gets its whole total, whatever the bits of its one weight"
)
_SERIES = "a Series of keys and a new Series of its values rank the same"
_BINCOUNT = (
    "every bundle number is some compound's, so bincount counts every bundle without "
    "minlength"
)
_REUSE = (
    "the credit columns and the mode recorded at evaluation come together; computing the "
    "credit again instead of reusing the columns gives the same fen"
)
_GROUPBY = (
    "groupby sorts by default, and insert aligns the households on the sorted group index "
    "whatever their order"
)
_WHOLE_PIECE = (
    "a piece not recognised as the whole table is taken row by row: the same compounds in "
    "the same order, only a copy"
)
_THREADS = (
    "one thread or several only change how the pieces run; each piece's columns are put "
    "back at its rows"
)
_ROW_BUDGET = (
    "the row budget is only compared with whole row counts, so x and floor(x) cut the same "
    "pieces, and a table of exactly that many rows is one piece either way"
)
_FRAME_COPY = (
    "copy= only decides whether the new frame shares memory with the columns; the index "
    "is 0..n-1 either way"
)
_ROW_ORDER = (
    "the order of a bundle's rows inside its piece changes nothing: splits go by compound "
    "id and each compound's results are put back at its row"
)
_TWO_PATHS = (
    "both branches sum the same rows exactly in integers (an empty group sums to zeros)"
)
_OVERWRITTEN = "the rows set here are overwritten with their exact fen right after"
_BLOCKS = (
    "the block size (and whether rows go one by one) only decides how many rows are "
    "rounded in one call; each row rounds the same"
)
_PLAN_GRADE = (
    "start passes the plan's grade, which is also what role_demand looks up without one "
    "(and what `grade and <plan's grade>` gives)"
)
_ORDER_ONLY = (
    "only the order role's demand depends on the gate regime: for the other roles both "
    "sides of the where are equal, and without fallback rows it keeps the demand"
)
_FALLBACK_NONE = (
    "at(None) takes the grade's regime, which is the fallback regime unless the grade's is "
    "device-only (fallback live-in): neither of those two has guard posts, same demand"
)
_NOTHING_OFFERED = (
    "where a role is offered nothing its tasks have no hours, so any scale gives 0"
)
_JOB_ROWS = (
    "a column of one value a job and the stacked broadcast rows hold the same numbers"
)
_FULL_LENGTH = (
    "every array the kernel makes has one value a compound (length n, broadcast views "
    "included), so the length test always holds"
)

_PATH_CHOICE = (
    "group_sums, yuan_rows_to_fen and fen_rows_to_yuan take one of two paths by size (all"
    " rows at once or row by row); both give the same numbers, so where the threshold lies"
    " changes nothing"
)
_PLACEHOLDER = (
    "a placeholder whose shape is not (rows, compounds) is replaced by a matrix of the"
    " right shape before use; np.empty(1) and np.array(None) are such placeholders too"
)
_DEFAULT_DTYPE = "np.empty's default dtype is float64, the dtype the mutant removes"
_EMPTY_SUM = (
    "a group without lines sums an empty selection of rows, which is zeros: the same as"
    " the zero row the original returns"
)


_SAME_RESULTS = (
    "both ways give the same results (evaluate_many equals evaluate one compound at a "
    "time, tested); the condition only picks the faster one"
)
_CACHE = "a cache turned off: the value is worked out again, the same"
_JOB_BLOCKS = (
    "the block size only decides how many jobs are priced in one call; every job is priced"
    " alike and added to the running total one by one, in the same order, in any blocks"
)


_QUICK_PATH = (
    "yuan_to_fen takes its quick path (to int64 by adding 1.5 * 2**52) only for arrays with no"
    " negative amount below 2**51 fen; an array sent the plain way instead gets the same fen"
)
_LIMIT = (
    "at exactly 2**51 fen the quick path is still exact: 2**51 + 1.5 * 2**52 = 2**53 is a "
    "float64, and its bits less those of 1.5 * 2**52 are 2**51"
)
_NEW_ARRAY = (
    "the subtraction writes a new array instead of reusing the scaled amounts' memory: the "
    "same numbers"
)

EQUIVALENT: dict[str, str] = {
    "propfee.budget.x__report_columns__mutmut_43": _DTYPE,
    "propfee.budget.x__report_columns__mutmut_45": _DTYPE,
    "propfee.budget.x_group_sums_by__mutmut_14": _PATH_CHOICE,
    "propfee.budget.x_group_sums_by__mutmut_18": _STRICT,
    "propfee.budget.x_group_sums_by__mutmut_21": _STRICT,
    "propfee.budget.x_group_sums_by__mutmut_22": _STRICT,
    "propfee.budget.x_group_sums_by__mutmut_25": _STRICT,
    "propfee.budget.x_group_sums_by__mutmut_28": _STRICT,
    "propfee.budget.x_group_sums_by__mutmut_29": _STRICT,
    "propfee.money.x_yuan_to_fen__mutmut_17": _QUICK_PATH,
    "propfee.money.x_yuan_to_fen__mutmut_18": _QUICK_PATH,
    "propfee.money.x_yuan_to_fen__mutmut_20": _LIMIT,
    "propfee.money.x_yuan_to_fen__mutmut_39": _NEW_ARRAY,
    "propfee.money.x_yuan_to_fen__mutmut_42": _NEW_ARRAY,
    "propfee.money.x_yuan_to_fen__mutmut_76": _FLOOR,
    "propfee.money.x_yuan_to_fen__mutmut_78": _FLOOR,
    "propfee.budget.x__results__mutmut_23": _STRICT,
    "propfee.budget.x__results__mutmut_25": _STRICT,
    "propfee.budget.x__results__mutmut_26": _STRICT,
    "propfee.budget.x__results__mutmut_31": _STRICT,
    "propfee.budget.x__results__mutmut_34": _STRICT,
    "propfee.budget.x__results__mutmut_35": _STRICT,
    "propfee.budget.x__results__mutmut_41": _STRICT,
    "propfee.budget.x__results__mutmut_44": _STRICT,
    "propfee.budget.x__results__mutmut_45": _STRICT,
    "propfee.budget.x__results__mutmut_50": _STRICT,
    "propfee.budget.x__results__mutmut_53": _STRICT,
    "propfee.budget.x__results__mutmut_54": _STRICT,
    "propfee.budget.x_evaluate_many__mutmut_60": _DTYPE,
    "propfee.budget.x_evaluate_many__mutmut_62": _DTYPE,
    "propfee.budget.x_evaluate_many__mutmut_15": _SAME_RESULTS,
    "propfee.channels.context.xǁChannelInputsǁ_switched__mutmut_1": _CACHE,
    "propfee.channels.context.xǁChannelInputsǁquantity__mutmut_1": _CACHE,
    "propfee.channels.context.xǁChannelInputsǁ_switched__mutmut_2": _CACHE,
    "propfee.channels.context.xǁChannelInputsǁquantity__mutmut_2": _CACHE,
    "propfee.channels.shared_property.x__price_jobs__mutmut_13": _JOB_BLOCKS,
    "propfee.channels.shared_property.x__price_jobs__mutmut_14": _JOB_BLOCKS,
    "propfee.money.xǁGroupLayoutǁallocate__mutmut_129": _SIGN_ZERO,
    "propfee.money.xǁGroupLayoutǁallocate__mutmut_130": _SIGN_ZERO,
    "propfee.money.xǁGroupLayoutǁallocate__mutmut_145": _SIGN_ZERO,
    "propfee.money.xǁGroupLayoutǁallocate__mutmut_146": _SIGN_ZERO,
    "propfee.money.xǁGroupLayoutǁallocate__mutmut_30": _RESHAPE,
    "propfee.money.xǁGroupLayoutǁallocate__mutmut_90": _UNIT_ONE,
    "propfee.money.xǁGroupLayoutǁallocate__mutmut_91": _WSUM,
    "propfee.money.x_fen_rows_to_yuan__mutmut_1": _PATH_CHOICE,
    "propfee.money.x_fen_rows_to_yuan__mutmut_2": _PATH_CHOICE,
    "propfee.money.x_fen_rows_to_yuan__mutmut_10": _DTYPE,
    "propfee.money.x_fen_rows_to_yuan__mutmut_12": _DTYPE,
    "propfee.money.x_fen_rows_to_yuan__mutmut_17": _STRICT,
    "propfee.money.x_fen_rows_to_yuan__mutmut_20": _STRICT,
    "propfee.money.x_fen_rows_to_yuan__mutmut_22": _STRICT,
    "propfee.money.x_yuan_rows_to_fen__mutmut_34": _PLACEHOLDER,
    "propfee.money.x_yuan_rows_to_fen__mutmut_44": _DEFAULT_DTYPE,
    "propfee.money.x_yuan_rows_to_fen__mutmut_40": _PLACEHOLDER,
    "propfee.money.x_yuan_rows_to_fen__mutmut_46": _DEFAULT_DTYPE,
    "propfee.baseline.x__report__mutmut_23": _RANGE_INDEX,
    "propfee.baseline.x__report__mutmut_25": _RANGE_INDEX,
    "propfee.baseline.x_baseline_lines_fen__mutmut_14": _STRICT,
    "propfee.baseline.x_baseline_lines_fen__mutmut_6": _STRICT,
    "propfee.baseline.x_baseline_lines_fen__mutmut_9": _STRICT,
    "propfee.baseline.xǁBaselineResultǁ_repr_html___mutmut_5": _HTML_INDEX,
    "propfee.budget.x__chunks__mutmut_10": _WHOLE_PIECE,
    "propfee.budget.x__chunks__mutmut_2": _ROW_BUDGET,
    "propfee.budget.x__chunks__mutmut_21": _ROW_ORDER,
    "propfee.budget.x__chunks__mutmut_25": _ROW_ORDER,
    "propfee.budget.x__chunks__mutmut_27": _ROW_ORDER,
    "propfee.budget.x__chunks__mutmut_29": _ROW_ORDER,
    "propfee.budget.x__chunks__mutmut_3": _WHOLE_PIECE,
    "propfee.budget.x__chunks__mutmut_35": _BINCOUNT,
    "propfee.budget.x__chunks__mutmut_4": _WHOLE_PIECE,
    "propfee.budget.x__chunks__mutmut_5": _WHOLE_PIECE,
    "propfee.budget.x__chunks__mutmut_8": _WHOLE_PIECE,
    "propfee.budget.x__chunks__mutmut_9": _WHOLE_PIECE,
    "propfee.budget.x__credit_fen__mutmut_2": _WATERFALL_ALL,
    "propfee.budget.x__credit_fen__mutmut_5": _WATERFALL_ALL,
    "propfee.budget.x__credit_fen__mutmut_6": _WATERFALL_ALL,
    "propfee.budget.x__district_budget__mutmut_122": _FRAME_COPY,
    "propfee.budget.x__district_budget__mutmut_123": _FRAME_COPY,
    "propfee.budget.x__district_budget__mutmut_125": _FRAME_COPY,
    "propfee.budget.x__district_budget__mutmut_126": _FRAME_COPY,
    "propfee.budget.x__district_budget__mutmut_128": _FRAME_COPY,
    "propfee.budget.x__district_budget__mutmut_37": _THREADS,
    "propfee.budget.x__district_budget__mutmut_38": _THREADS,
    "propfee.budget.x__district_budget__mutmut_39": _THREADS,
    "propfee.budget.x__district_budget__mutmut_40": _THREADS,
    "propfee.budget.x__district_budget__mutmut_41": _THREADS,
    "propfee.budget.x__district_budget__mutmut_42": _THREADS,
    "propfee.budget.x__district_budget__mutmut_43": _THREADS,
    "propfee.budget.x__district_budget__mutmut_44": _THREADS,
    "propfee.budget.x__district_budget__mutmut_45": _THREADS,
    "propfee.budget.x__district_budget__mutmut_46": _THREADS,
    "propfee.budget.x__district_budget__mutmut_48": _THREADS,
    "propfee.budget.x__district_budget__mutmut_61": _STRICT,
    "propfee.budget.x__district_budget__mutmut_64": _STRICT,
    "propfee.budget.x__district_budget__mutmut_65": _STRICT,
    "propfee.budget.x__district_budget__mutmut_9": _ROW_BUDGET,
    "propfee.budget.x__kernel_with_credit__mutmut_3": _WATERFALL_ALL,
    "propfee.budget.x__kernel_with_credit__mutmut_32": _LAST_COPY,
    "propfee.budget.x__kernel_with_credit__mutmut_38": _LAST_COPY,
    "propfee.budget.x__kernel_with_credit__mutmut_6": _WATERFALL_ALL,
    "propfee.budget.x__kernel_with_credit__mutmut_7": _WATERFALL_ALL,
    "propfee.budget.x__lines_frame__mutmut_10": _DTYPE,
    "propfee.budget.x__lines_frame__mutmut_12": _DTYPE,
    "propfee.budget.x__lines_frame__mutmut_19": _STR_ARRAY,
    "propfee.budget.x__lines_frame__mutmut_21": _STR_ARRAY,
    "propfee.budget.x__lines_frame__mutmut_31": _STR_ARRAY,
    "propfee.budget.x__lines_frame__mutmut_33": _STR_ARRAY,
    "propfee.budget.x__lines_frame__mutmut_69": _HAS_LINES,
    "propfee.budget.x__lines_frame__mutmut_72": _HAS_LINES,
    "propfee.budget.x__lines_frame__mutmut_73": _HAS_LINES,
    "propfee.budget.x__pieces__mutmut_1": _WHOLE_PIECE,
    "propfee.budget.x__pieces__mutmut_10": _WHOLE_PIECE,
    "propfee.budget.x__pieces__mutmut_11": _WHOLE_PIECE,
    "propfee.budget.x__pieces__mutmut_12": _WHOLE_PIECE,
    "propfee.budget.x__pieces__mutmut_13": _WHOLE_PIECE,
    "propfee.budget.x__pieces__mutmut_14": _WHOLE_PIECE,
    "propfee.budget.x__result_fields__mutmut_18": _NO_COLUMN,
    "propfee.budget.x__result_fields__mutmut_19": _NO_COLUMN,
    "propfee.budget.x_shapley_fen__mutmut_10": _DTYPE,
    "propfee.budget.x_shapley_fen__mutmut_12": _DTYPE,
    "propfee.budget.x_shapley_fen__mutmut_29": _KIND,
    "propfee.budget.x_shapley_fen__mutmut_32": _KIND,
    "propfee.budget.x_shapley_fen__mutmut_36": _KIND,
    "propfee.budget.xǁBudgetResultǁfrom_row__mutmut_11": _EXTRA_KEY,
    "propfee.budget.xǁBudgetResultǁfrom_row__mutmut_12": _EXTRA_KEY,
    "propfee.budget.xǁBudgetResultǁfrom_row__mutmut_13": _EXTRA_KEY,
    "propfee.budget.xǁBudgetResultǁfrom_row__mutmut_14": _EXTRA_KEY,
    "propfee.budget.xǁBudgetResultǁfrom_tables__mutmut_38": _ORIENT,
    "propfee.budget.xǁDistrictBudgetǁchannel_credit__mutmut_1": _DEFAULT_MODE,
    "propfee.budget.xǁDistrictBudgetǁchannel_credit__mutmut_2": _DEFAULT_MODE,
    "propfee.budget.xǁDistrictBudgetǁchannel_credit__mutmut_8": _REUSE,
    "propfee.budget.xǁDistrictBudgetǁchannel_credit__mutmut_9": _REUSE,
    "propfee.budget.xǁDistrictBudgetǁtotals_by__mutmut_18": _GROUPBY,
    "propfee.budget.xǁDistrictBudgetǁtotals_by__mutmut_33": _GROUPBY,
    "propfee.budget.xǁDistrictBudgetǁtotals_by__mutmut_35": _GROUPBY,
    "propfee.budget.xǁDistrictBudgetǁtotals_by__mutmut_36": _GROUPBY,
    "propfee.budget.xǁKernelOutputǁfen__mutmut_1": _FEN_ROUND_TRIP,
    "propfee.budget.xǁKernelOutputǁfen__mutmut_2": _FEN_ROUND_TRIP,
    "propfee.budget.xǁKernelOutputǁfen__mutmut_4": _FEN_ROUND_TRIP,
    "propfee.budget.xǁKernelOutputǁfen_lines__mutmut_5": _STRICT,
    "propfee.budget.xǁKernelOutputǁfen_lines__mutmut_8": _STRICT,
    "propfee.budget.xǁKernelOutputǁfen_lines__mutmut_9": _STRICT,
    "propfee.budget.xǁKernelOutputǁtake__mutmut_3": _FULL_LENGTH,
    "propfee.bundling.allocation.x__subset_matrix__mutmut_3": _DTYPE,
    "propfee.bundling.allocation.x__subset_matrix__mutmut_5": _DTYPE,
    "propfee.bundling.allocation.x__subset_matrix__mutmut_9": _BITS,
    "propfee.bundling.allocation.x_coalition_costs__mutmut_19": _PAD,
    "propfee.bundling.allocation.x_coalition_costs__mutmut_3": _DTYPE,
    "propfee.bundling.allocation.x_coalition_costs__mutmut_5": _DTYPE,
    "propfee.bundling.allocation.x_least_core__mutmut_111": _OBJ2,
    "propfee.bundling.allocation.x_least_core__mutmut_126": _HIGHS,
    "propfee.bundling.allocation.x_least_core__mutmut_131": _HIGHS,
    "propfee.bundling.allocation.x_least_core__mutmut_155": _GROUPS,
    "propfee.bundling.allocation.x_least_core__mutmut_159": _GROUPS,
    "propfee.bundling.allocation.x_least_core__mutmut_160": _GROUPS,
    "propfee.bundling.allocation.x_least_core__mutmut_163": _DTYPE,
    "propfee.bundling.allocation.x_least_core__mutmut_165": _DTYPE,
    "propfee.bundling.allocation.x_least_core__mutmut_174": _DTYPE,
    "propfee.bundling.allocation.x_least_core__mutmut_176": _DTYPE,
    "propfee.bundling.allocation.x_least_core__mutmut_179": _SPARSE,
    "propfee.bundling.allocation.x_least_core__mutmut_181": _SPARSE,
    "propfee.bundling.allocation.x_least_core__mutmut_203": _LITERAL,
    "propfee.bundling.allocation.x_least_core__mutmut_204": _ONE_SIDED,
    "propfee.bundling.allocation.x_least_core__mutmut_220": _BOUNDS,
    "propfee.bundling.allocation.x_least_core__mutmut_227": _BOUNDS,
    "propfee.bundling.allocation.x_least_core__mutmut_228": _HIGHS,
    "propfee.bundling.allocation.x_least_core__mutmut_234": _HIGHS,
    "propfee.bundling.allocation.x_least_core__mutmut_253": _DTYPE,
    "propfee.bundling.allocation.x_least_core__mutmut_255": _DTYPE,
    "propfee.bundling.allocation.x_least_core__mutmut_72": _DTYPE,
    "propfee.bundling.allocation.x_least_core__mutmut_85": _SPARSE,
    "propfee.bundling.allocation.x_least_core__mutmut_87": _SPARSE,
    "propfee.bundling.allocation.x_least_core__mutmut_98": _LITERAL,
    "propfee.bundling.allocation.x_shapley_exact__mutmut_3": _DTYPE,
    "propfee.bundling.allocation.x_shapley_exact__mutmut_5": _DTYPE,
    "propfee.bundling.allocation.x_shapley_sampled__mutmut_13": _AXIS,
    "propfee.bundling.allocation.x_shapley_sampled__mutmut_3": _DTYPE,
    "propfee.bundling.allocation.x_shapley_sampled__mutmut_31": _PAD,
    "propfee.bundling.allocation.x_shapley_sampled__mutmut_43": _AXIS,
    "propfee.bundling.allocation.x_shapley_sampled__mutmut_5": _DTYPE,
    "propfee.bundling.allocation.x_split_bundle__mutmut_106": _DTYPE,
    "propfee.bundling.allocation.x_split_bundle__mutmut_108": _DTYPE,
    "propfee.bundling.allocation.x_split_bundle__mutmut_150": _PAD,
    "propfee.bundling.allocation.x_split_bundle__mutmut_232": _FALSY,
    "propfee.bundling.allocation.x_split_bundle__mutmut_244": _DTYPE,
    "propfee.bundling.allocation.x_split_bundle__mutmut_248": _EMPTY_TOL,
    "propfee.bundling.allocation.x_split_bundle__mutmut_48": _KIND,
    "propfee.bundling.allocation.x_split_bundle__mutmut_50": _KIND,
    "propfee.bundling.allocation.x_split_bundle__mutmut_52": _DTYPE,
    "propfee.bundling.allocation.x_split_bundle__mutmut_54": _KIND,
    "propfee.bundling.allocation.x_split_bundle__mutmut_56": _KIND,
    "propfee.bundling.allocation.x_split_bundle__mutmut_94": _GRAND,
    "propfee.bundling.allocation.xǁSplitǁ_repr_html___mutmut_3": _HTML_INDEX,
    "propfee.bundling.game.xǁBundleGameǁfrom_district__mutmut_10": _ALONE,
    "propfee.bundling.game.xǁBundleGameǁfrom_district__mutmut_11": _ALONE,
    "propfee.bundling.game.xǁBundleGameǁfrom_district__mutmut_12": _ALONE,
    "propfee.bundling.game.xǁBundleGameǁfrom_district__mutmut_13": _ALONE,
    "propfee.bundling.game.xǁBundleGameǁfrom_district__mutmut_14": _ALONE,
    "propfee.bundling.game.xǁBundleGameǁfrom_district__mutmut_15": _ALONE,
    "propfee.bundling.game.xǁBundleGameǁfrom_district__mutmut_16": _ALONE,
    "propfee.bundling.game.xǁBundleGameǁfrom_district__mutmut_17": _ALONE,
    "propfee.bundling.game.xǁBundleGameǁfrom_district__mutmut_18": _ALONE,
    "propfee.bundling.game.xǁBundleGameǁfrom_district__mutmut_19": _ALONE,
    "propfee.bundling.game.xǁBundleGameǁfrom_district__mutmut_53": _OTHER_LINES,
    "propfee.bundling.game.xǁBundleGameǁfrom_district__mutmut_66": _STANDING_LEFT,
    "propfee.bundling.game.xǁBundleGameǁindex__mutmut_21": _STRICT,
    "propfee.bundling.game.xǁBundleGameǁindex__mutmut_24": _STRICT,
    "propfee.bundling.game.xǁBundleGameǁindex__mutmut_25": _STRICT,
    "propfee.channels.common.x_basis_quantity__mutmut_6": _DTYPE,
    "propfee.channels.common.x_basis_quantity__mutmut_8": _DTYPE,
    "propfee.channels.context.xǁChannelInputsǁrole_demand__mutmut_3": _PLAN_GRADE,
    "propfee.channels.context.xǁChannelInputsǁrole_demand__mutmut_35": _ORDER_ONLY,
    "propfee.channels.context.xǁChannelInputsǁrole_demand__mutmut_4": _PLAN_GRADE,
    "propfee.channels.context.xǁChannelInputsǁrole_demand__mutmut_46": _FALLBACK_NONE,
    "propfee.channels.context.xǁChannelInputsǁstart__mutmut_45": _PLAN_GRADE,
    "propfee.channels.context.xǁChannelInputsǁstart__mutmut_47": _PLAN_GRADE,
    "propfee.channels.contract.x_contract_costs__mutmut_11": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_13": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_134": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_136": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_147": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_149": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_154": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_156": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_159": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_161": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_178": _TRAVEL1,
    "propfee.channels.contract.x_contract_costs__mutmut_182": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_19": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_222": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_224": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_254": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_255": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_4": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_55": _CREWS_EMPTY,
    "propfee.channels.contract.x_contract_costs__mutmut_57": _CREWS_EMPTY,
    "propfee.channels.contract.x_contract_costs__mutmut_6": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_74": _DTYPE,
    "propfee.channels.contract.x_contract_costs__mutmut_9": _DTYPE,
    "propfee.channels.contract.x_spread_m__mutmut_3": _DTYPE,
    "propfee.channels.contract.x_spread_m__mutmut_5": _DTYPE,
    "propfee.channels.devices.x_capital_recovery_factor__mutmut_10": _DTYPE,
    "propfee.channels.devices.x_capital_recovery_factor__mutmut_15": _ERRSTATE,
    "propfee.channels.devices.x_capital_recovery_factor__mutmut_17": _ERRSTATE,
    "propfee.channels.devices.x_capital_recovery_factor__mutmut_3": _DTYPE,
    "propfee.channels.devices.x_capital_recovery_factor__mutmut_5": _DTYPE,
    "propfee.channels.devices.x_capital_recovery_factor__mutmut_8": _DTYPE,
    "propfee.channels.gates.x_gate_running_yuan__mutmut_4": _DTYPE,
    "propfee.channels.gates.x_gate_running_yuan__mutmut_6": _DTYPE,
    "propfee.channels.self_governance.x_apply__mutmut_63": _ERRSTATE,
    "propfee.channels.self_governance.x_apply__mutmut_65": _ERRSTATE,
    "propfee.channels.self_governance.x_apply__mutmut_90": _NOTHING_OFFERED,
    "propfee.channels.self_governance.x_supply_hours_year__mutmut_12": _DTYPE,
    "propfee.channels.self_governance.x_supply_hours_year__mutmut_14": _DTYPE,
    "propfee.channels.self_governance.x_supply_hours_year__mutmut_5": _DTYPE,
    "propfee.channels.self_governance.x_supply_hours_year__mutmut_7": _DTYPE,
    "propfee.channels.shared_property.x_age_factor_capped__mutmut_10": _DTYPE,
    "propfee.channels.shared_property.x_age_factor_capped__mutmut_12": _DTYPE,
    "propfee.channels.shared_property.x_apply__mutmut_11": _DTYPE,
    "propfee.channels.shared_property.x_apply__mutmut_136": _STRICT,
    "propfee.channels.shared_property.x_apply__mutmut_139": _STRICT,
    "propfee.channels.shared_property.x_apply__mutmut_140": _STRICT,
    "propfee.channels.shared_property.x_apply__mutmut_15": _BINCOUNT,
    "propfee.channels.shared_property.x_apply__mutmut_176": _STRICT,
    "propfee.channels.shared_property.x_apply__mutmut_179": _STRICT,
    "propfee.channels.shared_property.x_apply__mutmut_240": _STRICT,
    "propfee.channels.shared_property.x_apply__mutmut_34": _BINCOUNT,
    "propfee.channels.shared_property.x_expected_uses_per_year__mutmut_5": _DTYPE,
    "propfee.channels.shared_property.x_expected_uses_per_year__mutmut_7": _DTYPE,
    "propfee.money.x_allocate_fen__mutmut_3": _DTYPE,
    "propfee.money.x_allocate_fen__mutmut_5": _DTYPE,
    "propfee.money.x_allocate_fen__mutmut_62": _DTYPE,
    "propfee.money.x_allocate_fen__mutmut_64": _DTYPE,
    "propfee.money.x_allocate_fen__mutmut_67": _DTYPE,
    "propfee.money.x_allocate_fen__mutmut_69": _DTYPE,
    "propfee.money.x_allocate_fen_grouped__mutmut_3": _DTYPE,
    "propfee.money.x_allocate_fen_grouped__mutmut_5": _DTYPE,
    "propfee.money.x_fen_to_yuan__mutmut_3": _DTYPE,
    "propfee.money.x_fen_to_yuan__mutmut_5": _DTYPE,
    "propfee.money.x_key_rank__mutmut_10": _UNIQUE_KEYS,
    "propfee.money.x_key_rank__mutmut_13": _DTYPE,
    "propfee.money.x_key_rank__mutmut_15": _DTYPE,
    "propfee.money.x_key_rank__mutmut_18": _DTYPE,
    "propfee.money.x_key_rank__mutmut_2": _SERIES,
    "propfee.money.x_key_rank__mutmut_20": _DTYPE,
    "propfee.money.x_key_rank__mutmut_7": _DTYPE,
    "propfee.money.x_key_rank__mutmut_8": _UNIQUE_KEYS,
    "propfee.money.x_yuan_rows_to_fen__mutmut_12": _BLOCKS,
    "propfee.money.x_yuan_rows_to_fen__mutmut_13": _BLOCKS,
    "propfee.money.x_yuan_rows_to_fen__mutmut_14": _BLOCKS,
    "propfee.money.x_yuan_rows_to_fen__mutmut_29": _BLOCKS,
    "propfee.money.x_yuan_rows_to_fen__mutmut_35": _DTYPE,
    "propfee.money.x_yuan_rows_to_fen__mutmut_37": _DTYPE,
    "propfee.money.x_yuan_to_fen__mutmut_13": _RESHAPE,
    "propfee.money.x_yuan_to_fen__mutmut_3": _DTYPE,
    "propfee.money.x_yuan_to_fen__mutmut_5": _DTYPE,
    "propfee.money.xǁGroupLayoutǁ__init____mutmut_16": _ONE_PARTY,
    "propfee.money.xǁGroupLayoutǁ__init____mutmut_19": _SORTED,
    "propfee.money.xǁGroupLayoutǁ__init____mutmut_20": _ONE_PARTY,
    "propfee.money.xǁGroupLayoutǁ__init____mutmut_23": _SORTED,
    "propfee.money.xǁGroupLayoutǁ__init____mutmut_24": _SORTED,
    "propfee.money.xǁGroupLayoutǁ__init____mutmut_26": _UNIQUE_KEYS,
    "propfee.money.xǁGroupLayoutǁ__init____mutmut_3": _DTYPE,
    "propfee.money.xǁGroupLayoutǁ__init____mutmut_5": _DTYPE,
    "propfee.money.xǁGroupLayoutǁ__init____mutmut_61": _SINGLE_GROUP,
    "propfee.money.xǁGroupLayoutǁ__init____mutmut_71": _EMPTY_WIDTH,
    "propfee.money.xǁGroupLayoutǁ__init____mutmut_72": _RANKING,
    "propfee.money.xǁGroupLayoutǁ__init____mutmut_73": _RANKING,
    "propfee.money.xǁGroupLayoutǁ__init____mutmut_74": _RANKING,
    "propfee.money.xǁGroupLayoutǁ__init____mutmut_82": _RANKING,
    "propfee.money.xǁGroupLayoutǁ_rank__mutmut_27": _STRICT,
    "propfee.money.xǁGroupLayoutǁ_rank__mutmut_3": _DTYPE,
    "propfee.money.xǁGroupLayoutǁ_rank__mutmut_30": _STRICT,
    "propfee.money.xǁGroupLayoutǁ_rank__mutmut_31": _STRICT,
    "propfee.money.xǁGroupLayoutǁ_rank__mutmut_5": _DTYPE,
    "propfee.money.xǁGroupLayoutǁallocate__mutmut_10": _DTYPE,
    "propfee.money.xǁGroupLayoutǁallocate__mutmut_3": _DTYPE,
    "propfee.money.xǁGroupLayoutǁallocate__mutmut_5": _DTYPE,
    "propfee.money.xǁGroupLayoutǁallocate__mutmut_8": _DTYPE,
}
"""Mutant name -> why it cannot change any result (reviewed by hand)."""

KILLED = {"killed", "timeout"}
SURVIVED = {"survived", "no tests"}


def main() -> int:
    root = Path("mutants")
    statuses: dict[str, str] = {}
    for meta in root.rglob("*.py.meta"):
        data = json.loads(meta.read_text(encoding="utf-8"))
        for name, code in data.get("exit_code_by_key", {}).items():
            statuses[name] = _status(code)
    per_module: dict[str, Counter[str]] = {}
    for name, status in statuses.items():
        module = name.split(".x_")[0].split(".xǁ")[0]
        per_module.setdefault(module, Counter())[
            "equivalent" if name in EQUIVALENT else status] += 1
    total: Counter[str] = Counter()
    head = ("module", "killed", "survived", "equiv", "other", "score")
    print(f"{head[0]:40s} {head[1]:>7s} {head[2]:>9s} {head[3]:>6s} {head[4]:>6s} {head[5]:>7s}")
    for module in sorted(per_module):
        c = per_module[module]
        total.update(c)
        _row(module, c)
    _row("overall", total)
    killed = sum(total[s] for s in KILLED)
    strict = killed + sum(total[s] for s in SURVIVED) + total["equivalent"]
    if strict:
        print(f"counting the {total['equivalent']} equivalent mutants as survived: "
              f"{killed / strict:.1%}")
    not_run = sum(v for s, v in total.items() if s == "not checked")
    if not_run:
        print(f"{not_run} mutants not run yet: the score is not over every mutant")
    return 0


def _row(label: str, c: Counter[str]) -> None:
    killed = sum(c[s] for s in KILLED)
    survived = sum(c[s] for s in SURVIVED)
    other = sum(v for s, v in c.items() if s not in KILLED | SURVIVED | {"equivalent"})
    score = killed / (killed + survived) if killed + survived else float("nan")
    print(f"{label:40s} {killed:7d} {survived:9d} {c['equivalent']:6d} {other:6d} {score:7.1%}")


def _status(code: int | None) -> str:
    if code is None:
        return "not checked"
    return {0: "survived", 1: "killed", 3: "killed", -24: "timeout", 33: "no tests",
            34: "skipped", 35: "suspicious", 36: "timeout", 37: "caught by type check",
            152: "timeout", 255: "timeout", 5: "no tests"}.get(code, "suspicious")


if __name__ == "__main__":
    sys.exit(main())
