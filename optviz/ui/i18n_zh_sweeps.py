"""Chinese for the words inside the sweeps page's figures (optviz.search), merged into ZH."""

ZH_SWEEPS: dict[str, str] = {
    # ------------------------------------------------------------------ second-axis words
    # search.axis_title(name, tr): the hyperparameter's word; the symbol stays
    "momentum": "动量",
    "gamma": "衰减率",
    "rho": "衰减率",
    "beta1": "一阶矩衰减率",
    "beta2": "二阶矩衰减率",
    "noise": "梯度噪声",
    "dampening": "阻尼",
    "weight_decay": "权重衰减",
    "damping": "阻尼",
    # ------------------------------------------------------------------ hyperparameter map
    "learning rate η (log scale)": "学习率 η（对数刻度）",
    "steps to tol": "达到容差的步数",
    "steps to<br>f − f* ≤ {tol}": "达到<br>f − f* ≤ {tol}<br>的步数",
    "diverged (发散)": "发散",
    "never reached f − f* ≤ {tol}": "始终未达到 f − f* ≤ {tol}",
    "converged or still going": "已收敛或仍在下降",
    "best cell": "最优格",
    "best:": "最优：",
    "replayed": "正在回放",
    "click: replay": "点击回放",
    # ------------------------------------------------------------------ fair comparison
    "final f − f*": "最终 f − f*",
    "{name} at its best": "{name} 的最优点",
    "{name} diverges from η": "{name} 开始发散的 η",
    # ------------------------------------------------------------------ basins
    "ends in": "终点所在",
    "ends at": "终点",
    "0: none, -1: diverged": "0：无，-1：发散",
    "global minimum (0, 0)": "全局极小值点 (0, 0)",
    "local minima, ring {r}": "局部极小值点，第 {r} 圈",
    "minimum {name}": "极小值点 {name}",
    "share of start points": "起点所占比例",
    # ------------------------------------------------------------------ grid vs random search
    "grid {k}×{k} = {n}": "网格 {k}×{k} = {n}",
    "random {n}": "随机 {n}",
    "random: 10–90% of draws": "随机搜索：各次抽样的 10–90%",
    "random search (mean, exact)": "随机搜索（均值，精确）",
    "grid search k×k (mean over offsets)": "网格搜索 k×k（对偏移取平均）",
    "random": "随机搜索",
    "grid": "网格搜索",
    "E[best]": "E[最优]",
    "mean best": "平均最优",
    "budget N (runs tried)": "预算 N（尝试的运行次数）",
    "best found so far: log₁₀(f − f*)": "目前找到的最优：log₁₀(f − f*)",
    # ------------------------------------------------------------------ successive halving
    "this round (colour: round)": "本轮（颜色：轮次）",
    "all configurations": "全部配置",
    "kept (best half)": "保留（最好的一半）",
    "round": "轮次",
    # table headers of the fair comparison and of successive halving
    "best η": "最优 η",
    "f − f* at best η": "最优 η 处的 f − f*",
    "diverges from η": "从该 η 起发散",
    "decades of η ending within {tol}": "收敛到 {tol} 以内的 η 跨越的数量级",
    "configurations": "配置数",
    "steps each": "每个配置的步数",
    "best f − f*": "最优 f − f*",
    "kept": "保留数",
}
