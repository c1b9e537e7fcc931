"""简体中文 translations of the UI, keyed by the English text (terms as in the study notes)."""

ZH: dict[str, str] = {
    # ------------------------------------------------------------------ app and shared widgets
    "Playground": "优化器赛场",
    "Overlay": "叠加",
    "Side by side": "并排",
    "EWMA form v = βv + (1−β)g (Ng)": "指数加权平均形式 v = βv + (1−β)g（吴恩达）",
    "Ties the dampening τ to γ: the velocity becomes a weighted average.": (
        "令阻尼 τ 等于 γ：速度变量成为梯度的加权平均。"
    ),
    "Some settings in the link could not be used, so defaults were taken: ": (
        "链接中的部分设置无法使用，已改用默认值："
    ),
    "bias correction": "偏差修正",
    "none": "不裁剪",
    "value": "按值截断",
    "norm": "按模截断",
    # ------------------------------------------------------------------ playground page
    "**Which optimizer reaches the minimum first — and why?** Pick a surface and a few "
    "optimizers, move their sliders, press ▶ Play. Click the chart to start somewhere else.": (
        "**哪个优化器最先到达最小值——为什么？** 选择一个损失曲面和几个优化器，拖动它们的滑块，"
        "按 ▶ 播放。点击图表可以换一个起点。"
    ),
    "**What to notice.** On the ill-conditioned quadratic, plain gradient descent zig-zags "
    "across the steep axis while crawling along the flat one; momentum averages the zig-zag "
    "away, and RMSProp/Adam give each coordinate its own rate η/√s. Raise η until a path "
    "diverges: the steep direction sets the limit η < 2/λ_max.": (
        "**注意观察。** 在病态二次函数上，普通梯度下降在陡峭方向来回振荡，在平缓方向却爬得很慢；"
        "动量法把振荡平均掉，RMSProp/Adam 则给每个坐标各自的学习率 η/√s。把 η 调大直到某条路径"
        "发散：陡峭方向决定了上限 η < 2/λ_max。"
    ),
    "**Predict:** which optimizer reaches the minimum first?": "**先预测：** 哪个优化器最先到达最小值？",
    "Reveal": "揭晓",
    "Show the 3D surface": "显示三维曲面",
    "Share this exact picture — copy the link:": "分享这张图——复制链接：",
    "Preset": "经典示例",
    "Surface": "损失曲面",
    "Optimizers": "优化器",
    "Steps": "迭代步数",
    "start x₁": "起点 x₁",
    "start x₂": "起点 x₂",
    "Classroom": "课堂",
    "Presenter mode": "演示模式",
    "Hide from students (presenter mode)": "对学生隐藏（演示模式）",
    "Predict, then reveal": "先预测，再揭晓",
    "Choose at least one optimizer in the sidebar.": "请在侧边栏至少选择一个优化器。",
    "View": "视图",
    "**Race table**": "**比赛结果**",
    "Schedule, noise, clipping": "学习率调度、噪声、梯度裁剪",
    "Learning-rate schedule": "学习率调度",
    "noise seed": "噪声随机种子",
    "Gradient clipping": "梯度裁剪",
    "Big fonts and thick lines for a projector; the link keeps it (?present=1).": (
        "为投影仪放大字体、加粗线条；链接会保留此设置（?present=1）。"
    ),
    "Share the link: students see only the controls you left.": (
        "分享链接后，学生只能看到你保留的控件。"
    ),
    "Hide the paths and ask which optimizer gets there first.": (
        "隐藏路径，先问学生哪个优化器最先到达。"
    ),
    "Running…": "计算中…",
    "Right!": "答对了！",
    "Not quite.": "不太对。",
    "{name} diverged at step {k}.": "{name} 在第 {k} 步发散。",
    "— choose a classic picture —": "— 选择一个经典示例 —",
    "surface": "曲面",
    "optimizers": "优化器",
    "start": "起点",
    "advanced": "高级设置",
    "sliders": "超参数滑块",
    # ------------------------------------------------------------------ quiz
    "none of them": "都没有到达",
    "No optimizer got within tolerance of a minimum in these steps.": (
        "在这些步数内，没有优化器进入最小值的容差范围。"
    ),
    "{winner} got there first, in {steps} steps.": "{winner} 最先到达，用了 {steps} 步。",
    "Diverged: {names}.": "发散的有：{names}。",
    # ------------------------------------------------------------------ race table
    "optimizer": "优化器",
    "final loss": "最终损失",
    "distance to nearest minimum": "到最近最小值的距离",
    "steps to tolerance": "达到容差的步数",
    "diverged at": "发散于第几步",
    # ------------------------------------------------------------------ optimizers
    "SGD": "梯度下降 (SGD)",
    "Momentum": "动量法",
    "Nesterov": "Nesterov 加速梯度",
    "AdaGrad": "AdaGrad",
    "RMSProp": "RMSProp",
    "AdaDelta": "AdaDelta",
    "Adam": "Adam",
    "AdamW": "AdamW",
    "AMSGrad": "AMSGrad",
    "NAdam": "NAdam",
    "RAdam": "RAdam",
    "Lion": "Lion",
    "Newton": "牛顿法",
    "Steps straight down the current slope; one rate for every direction.": (
        "沿当前坡度直接下降；所有方向使用同一个学习率。"
    ),
    "Learning rate η (学习率).": "学习率 η。",
    "The velocity v averages past gradients: components that keep their sign add up, "
    "components that flip cancel, so zig-zags are damped.": (
        "速度变量 v 对过去的梯度做平均：方向一致的分量不断累加，来回变号的分量相互抵消，因此振荡被抑制。"
    ),
    "Momentum γ (动量超参数).": "动量超参数 γ。",
    "0: heavy ball v=γv+g (d2l); τ=γ: Ng's average v=βv+(1-β)g.": (
        "0：重球形式 v=γv+g（d2l）；τ=γ：吴恩达的加权平均形式 v=βv+(1-β)g。"
    ),
    "Momentum that looks one step ahead, so it brakes before overshooting.": (
        "向前多看一步的动量法，因此会在冲过头之前减速。"
    ),
    "Each coordinate gets its own rate η/√s; s only grows, so the rates only shrink and a "
    "run can stall before the minimum.": (
        "每个坐标有自己的学习率 η/√s；s 只增不减，学习率只降不升，迭代可能在到达最小值前停滞。"
    ),
    "Numerical-stability constant ε.": "维持数值稳定的常数 ε。",
    "Like AdaGrad, but s forgets: it averages roughly the last 1/(1-γ) squared gradients, so "
    "the rates can grow again.": (
        "与 AdaGrad 类似，但 s 会遗忘：它约等于最近 1/(1-γ) 个梯度平方的加权平均，因此学习率还能再变大。"
    ),
    "Decay γ of the average of g².": "梯度平方平均的衰减率 γ。",
    "No learning rate: √(Δx+ε) — the size of recent steps — replaces η. It starts tiny and "
    "grows as the steps do.": (
        "没有学习率：用最近步长的大小 √(Δx+ε) 代替 η。它起初很小，随着步长变大而变大。"
    ),
    "Decay ρ of both averages.": "两个平均量的衰减率 ρ。",
    "Multiplier of the step (d2l: 1).": "步长的乘数（d2l 中为 1）。",
    "Momentum on the gradient (v) and RMSProp on its square (s), both divided by 1-βᵗ so the "
    "first steps are not too small (偏差修正).": (
        "对梯度做动量 (v)、对梯度平方做 RMSProp (s)，两者都除以 1-βᵗ，使最初几步不至于太小（偏差修正）。"
    ),
    "Decay of the first moment β₁.": "一阶矩的衰减率 β₁。",
    "Decay of the second moment β₂.": "二阶矩的衰减率 β₂。",
    "Divide the moments by 1−βᵗ (偏差修正).": "把矩估计除以 1−βᵗ（偏差修正）。",
    "Weight decay shrinks x directly instead of being added to the gradient; with Adam the "
    "two are not the same (权重衰减 ≠ L2 正则化).": (
        "权重衰减直接缩小 x，而不是加到梯度上；在 Adam 中两者并不等价（权重衰减 ≠ L2 正则化）。"
    ),
    "Decoupled weight decay λ (权重衰减).": "解耦的权重衰减系数 λ。",
    "Adam whose denominator never shrinks, so its step sizes never grow back.": (
        "分母只增不减的 Adam，因此步长不会重新变大。"
    ),
    "Adam with Nesterov's look-ahead applied to the first moment.": (
        "把 Nesterov 的前瞻用在一阶矩上的 Adam。"
    ),
    "Rectified Adam: a built-in warm-up. Early on, when s is estimated from a handful of "
    "gradients, it takes plain momentum steps.": (
        "修正的 Adam：自带预热。早期 s 只由少数几个梯度估计，这时它只走普通的动量步。"
    ),
    "Only the sign of the momentum counts: each coordinate moves by exactly η.": (
        "只看动量的符号：每个坐标每步恰好移动 η。"
    ),
    "Uses the curvature (Hessian H): one step to the minimum of a quadratic, but attracted "
    "to saddle points as well.": (
        "利用曲率（海森矩阵 H）：对二次函数一步到达最小值，但也会被鞍点吸引。"
    ),
    "Damping δ added to H.": "加到 H 上的阻尼 δ。",
    # ------------------------------------------------------------------ surfaces
    "Ill-conditioned quadratic": "病态二次函数",
    "A long narrow valley: the slope is steep across it and gentle along it, so one learning "
    "rate is too big for one axis and too small for the other.": (
        "一条狭长的山谷：横向陡峭、纵向平缓，同一个学习率对一个方向太大，对另一个方向又太小。"
    ),
    "Condition number λ_max/λ_min.": "条件数 λ_max/λ_min。",
    "Rotation of the valley (degrees).": "山谷的旋转角度（度）。",
    "Saddle point": "鞍点",
    "The gradient is zero at the origin, yet it is no minimum: downhill along y, uphill along "
    "x. Started on the ridge, gradient descent stalls there.": (
        "原点处梯度为零，但它不是最小值：沿 y 方向下坡，沿 x 方向上坡。从山脊出发，梯度下降会停滞在那里。"
    ),
    "Monkey saddle": "猴鞍",
    "A saddle so flat that even the curvature vanishes at the origin: gradient descent "
    "creeps, and only momentum or noise gets it moving.": (
        "一个极平的鞍点，原点处连曲率都为零：梯度下降几乎不动，只有动量或噪声能让它动起来。"
    ),
    "Flat vs sharp minimum": "平坦最小值与尖锐最小值",
    "Two minima: a wide, flat one on the left and a narrow, slightly deeper, sharp one on the "
    "right. Noise and large steps favour the flat one.": (
        "两个最小值：左边宽而平坦，右边窄而略深且尖锐。噪声和大步长更容易落入平坦最小值。"
    ),
    "Rosenbrock banana": "Rosenbrock 香蕉函数",
    "A curved, flat-bottomed valley: finding the valley is easy, following it to the minimum "
    "at (a, a²) is hard.": (
        "一条弯曲、谷底平坦的山谷：找到山谷很容易，沿着它走到最小值 (a, a²) 却很难。"
    ),
    "Minimum at (a, a²).": "最小值位于 (a, a²)。",
    "Steepness of the valley walls.": "谷壁的陡峭程度。",
    "Beale": "Beale 函数",
    "Sharp ridges and flat corners; the minimum (3, 0.5) sits in a narrow arm.": (
        "陡峭的山脊和平坦的角落；最小值 (3, 0.5) 位于一条狭窄的支谷中。"
    ),
    "Himmelblau": "Himmelblau 函数",
    "Four minima of equal depth: where you start decides where you end.": (
        "四个深度相同的最小值：从哪里出发决定了落在哪里。"
    ),
    "Rastrigin": "Rastrigin 函数",
    "A bowl covered in ripples: many local minima around the global one.": (
        "布满波纹的碗：全局最小值周围有许多局部最小值。"
    ),
    "Height of the ripples.": "波纹的高度。",
    "Plateau (vanishing gradient)": "平台（梯度消失）",
    "Far from the well the surface is almost flat: the gradient vanishes and plain gradient "
    "descent barely moves. Adaptive methods rescale the tiny gradient.": (
        "远离谷底处曲面几乎是平的：梯度消失，普通梯度下降几乎不动；自适应方法会把微小的梯度放大。"
    ),
    "Cliff (exploding gradient)": "悬崖（梯度爆炸）",
    "A gentle bowl behind a steep cliff: one step at the cliff's edge gets a huge gradient "
    "and is thrown far away unless the gradient is clipped.": (
        "陡峭悬崖后的平缓碗形曲面：在崖边的一步会得到巨大的梯度，除非进行梯度截断，否则会被甩得很远。"
    ),
    # ------------------------------------------------------------------ schedules
    "Constant": "常数学习率",
    "The baseline: the same step size from the first step to the last.": (
        "基准：从第一步到最后一步使用相同的步长。"
    ),
    "Step decay": "分段常数衰减（阶梯衰减）",
    "The learning rate stays flat and then drops by the factor β: the loss curve shows a kink "
    "each time the steps suddenly get smaller.": (
        "学习率先保持不变，然后乘以因子 β 下降：每次步长突然变小，损失曲线上都会出现一个拐点。"
    ),
    "Factor applied at each drop.": "每次下降时乘的因子。",
    "Steps between drops.": "两次下降之间的步数。",
    "Inverse-time decay": "逆时衰减",
    "Falls fast at first and then ever more slowly, like 1/t: the steps never quite stop, "
    "they just keep shrinking.": (
        "开始下降很快，之后越来越慢，像 1/t 一样：步长永远不会停下，只是不断变小。"
    ),
    "Decay rate β (decay_rate).": "衰减率 β（decay_rate）。",
    "Exponential decay": "指数衰减",
    "Every step multiplies the learning rate by β: with β = 0.99 it halves about every 69 "
    "steps, so late steps become tiny.": (
        "每一步把学习率乘以 β：β = 0.99 时大约每 69 步减半，所以后期的步长变得很小。"
    ),
    "Factor per step β (close to 1).": "每步的因子 β（接近 1）。",
    "Natural exponential decay": "自然指数衰减",
    "The same curve as exponential decay with factor e^{-β} per step: β is now a rate, and "
    "the learning rate halves every ln 2 / β steps.": (
        "与每步因子为 e^{-β} 的指数衰减是同一条曲线：此时 β 是一个速率，学习率每 ln 2 / β 步减半。"
    ),
    "Decay rate β.": "衰减率 β。",
    "Inverse square-root decay": "平方根倒数衰减",
    "Andrew Ng's k/√epoch rule with k = 1: slower than 1/t decay, so late steps stay larger.": (
        "吴恩达的 k/√epoch 规则（k = 1）：比 1/t 衰减得慢，所以后期步长仍较大。"
    ),
    "Cosine decay": "余弦衰减",
    "Flat at the start, steepest in the middle and flat again at the end: it reaches α_min "
    "exactly at the last step T.": (
        "开始平缓、中间最陡、结尾又变平缓：恰好在最后一步 T 达到 α_min。"
    ),
    "Floor α_min the learning rate decays to (absolute value).": "学习率衰减到的下限 α_min（绝对值）。",
    "Triangular cyclic learning rate": "三角循环学习率",
    "The learning rate climbs from α_min to α_max = α0 in ΔT steps and falls back in ΔT more: "
    "the periodic big steps can shake the iterate out of saddles and sharp minima.": (
        "学习率在 ΔT 步内从 α_min 升到 α_max = α0，再用 ΔT 步降回来：周期性的大步长能把迭代点"
        "从鞍点和尖锐最小值中晃出来。"
    ),
    "Half-cycle length ΔT.": "半个周期的长度 ΔT。",
    "SGDR (cosine with warm restarts)": "带热重启的随机梯度下降（SGDR）",
    "Cosine decay that jumps back to α_max = α0 at every restart: the optimizer keeps its "
    "parameters, only the step size is reset.": (
        "每次重启时跳回 α_max = α0 的余弦衰减：优化器保留参数，只重置步长。"
    ),
    "Length T_0 of the first cycle.": "第一个周期的长度 T_0。",
    "Each cycle is T_mult times longer than the one before.": "每个周期是前一个周期的 T_mult 倍长。",
    "Warm-up steps T': the learning rate ramps up linearly before the schedule starts.": (
        "预热步数 T'：在调度开始前，学习率线性升高（学习率预热）。"
    ),
    # ------------------------------------------------------------------ presets
    "d2l: gradient descent η=0.4 on 0.1x₁²+2x₂²": "d2l：梯度下降 η=0.4，目标 0.1x₁²+2x₂²",
    "d2l: gradient descent η=0.6 diverges along x₂": "d2l：梯度下降 η=0.6，沿 x₂ 方向发散",
    "d2l: momentum η=0.6, γ=0.5": "d2l：动量法 η=0.6，γ=0.5",
    "d2l: momentum η=0.6, γ=0.25": "d2l：动量法 η=0.6，γ=0.25",
    "d2l: RMSProp η=0.4, γ=0.9": "d2l：RMSProp η=0.4，γ=0.9",
    "Saddle point race (鞍点)": "鞍点赛跑",
    "Flat vs sharp minimum (平坦/尖锐最小值)": "平坦最小值与尖锐最小值",
    # ------------------------------------------------------------------ navigation
    "Inside the optimizer": "优化器内部",
    "Learning-rate schedules": "学习率调度",
    "Noise, saddles, flat vs sharp": "噪声、鞍点、平坦与尖锐最小值",
    "Exploding gradients and clipping": "梯度爆炸与梯度截断",
    "Regularization: L1 vs L2": "正则化：L1 与 L2",
    "Conditioning and normalization": "条件数与归一化",
    "Exponentially weighted averages": "指数加权移动平均",
    "Gradient checking": "梯度检验",
    "Your own surface": "自定义曲面",
    "Sweeps and search": "超参数扫描与搜索",
    "Export: GIF, HTML, PNG, CSV, JSON, code": "导出：GIF、HTML、PNG、CSV、JSON、代码",
}
