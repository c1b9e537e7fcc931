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
    "Share this picture": "分享这张图",
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
    # ------------------------------------------------------------------ inside the optimizer page
    "**What does an optimizer compute at each step — and why is the step Δxₜ it takes not "
    "simply −η gₜ?** Pick one optimizer and a surface, press ▶ Play: one scrubber drives the "
    "path with its arrows and every internal number of the optimizer.": (
        "**优化器在每一步计算了什么——为什么它实际走的一步 Δxₜ 并不就是 −η gₜ？** 选择一个优化器"
        "和一个损失曲面，按 ▶ 播放：同一个进度条同时驱动路径及其箭头，以及优化器内部的每一个数值。"
    ),
    "**What to notice.** For SGD the red step is the orange arrow times η, at every step. "
    "Momentum's green velocity keeps pointing along the valley while −gₜ zig-zags across "
    "it, and the step follows the velocity. AdaGrad, RMSProp and Adam give each coordinate "
    "its own effective rate η/√s (panel c): the coordinate with the big gradients gets the "
    "small rate, so the step points more along the valley than −gₜ does — and Adam's bias "
    "factors 1−βᵗ (panel d) climb from 1−β to 1 in the first steps.": (
        "**注意观察。** 对 SGD，红色的一步在每一步都等于橙色箭头乘以 η。动量法的绿色速度变量"
        "始终沿着山谷方向，而 −gₜ 在山谷两侧来回振荡，实际的一步跟随速度变量。AdaGrad、RMSProp "
        "和 Adam 给每个坐标各自的有效学习率 η/√s（图 c）：梯度大的坐标得到小的学习率，所以这一步"
        "比 −gₜ 更沿着山谷方向——而 Adam 的偏差修正因子 1−βᵗ（图 d）在最初几步从 1−β 升到 1。"
    ),
    "Optimizer": "优化算法",
    "(a) At x₍ₜ₋₁₎: orange −gₜ is where plain gradient descent would go, green is the "
    "direction the momentum / first moment points (if the optimizer keeps one), red Δxₜ "
    "is the step actually taken; arrows that would be too short or too long to see are "
    "scaled (the legend says by how much). (b)–(d) are drawn per coordinate: x₁ solid, "
    "x₂ dashed.": (
        "(a) 在 x₍ₜ₋₁₎ 处：橙色的 −gₜ 是普通梯度下降会走的方向，绿色是动量变量/一阶矩所指的方向"
        "（如果优化器有），红色的 Δxₜ 是实际走的一步；太短或太长而看不清的箭头会被缩放（图例注明"
        "缩放倍数）。(b)–(d) 按坐标绘制：x₁ 为实线，x₂ 为虚线。"
    ),
    "{name} diverged at step {k} ({reason}).": "{name} 在第 {k} 步发散（{reason}）。",
    "non-finite": "出现非有限值",
    "left the window": "离开了绘图窗口",
    "One step, with its numbers": "代入数值的一步",
    "The run left the surface at its first step: there is no step to show.": (
        "迭代在第一步就离开了曲面：没有可以展示的一步。"
    ),
    "step t": "时间步 t",
    "Plotly's scrubber lives in the browser; pick the same step here.": (
        "Plotly 的进度条只在浏览器中运行；请在这里选择同一个时间步。"
    ),
    "Adam with and without bias correction": "有无偏差修正的 Adam",
    "Same surface, start and η = {lr}, β₁ = {b1}, β₂ = {b2}. Because v₀ = s₀ = 0, the "
    "moments start too small: v₁ = (1−β₁)g₁, s₁ = (1−β₂)g₁². Dividing by 1−β₁ᵗ and "
    "1−β₂ᵗ undoes that. Skipping it multiplies the step by (1−β₁ᵗ)/√(1−β₂ᵗ) — "
    "**{first}×** at t = 1 — so without the correction Adam's first steps are *too big* "
    "when β₂ > β₁ (s is underestimated more than v). By t ≈ 1/(1−β₁) = {window} the "
    "factor's numerator is near 1, its denominator much later; the two paths then "
    "differ only by where the early steps left them.": (
        "相同的曲面、起点和 η = {lr}，β₁ = {b1}，β₂ = {b2}。由于 v₀ = s₀ = 0，两个矩一开始偏小："
        "v₁ = (1−β₁)g₁，s₁ = (1−β₂)g₁²。除以 1−β₁ᵗ 和 1−β₂ᵗ 就抵消了这一点（偏差修正）。省略它会使"
        "每一步乘以 (1−β₁ᵗ)/√(1−β₂ᵗ)——在 t = 1 时为 **{first}×**——所以当 β₂ > β₁ 时（s 比 v "
        "被低估得更多），没有修正的 Adam 最初几步*步子过大*。到 t ≈ 1/(1−β₁) = {window} 时，"
        "这个因子的分子已接近 1，分母则要晚得多；此后两条路径的差别只在于最初几步把它们带到了哪里。"
    ),
    "Adam with bias correction diverged at step {k}.": "带偏差修正的 Adam 在第 {k} 步发散。",
    "Adam without bias correction diverged at step {k}.": "不带偏差修正的 Adam 在第 {k} 步发散。",
    "This comparison always uses Adam (its sliders show when Adam is chosen).": (
        "这组对比总是使用 Adam（选择 Adam 时会显示它的滑块）。"
    ),
    "path, −gₜ, momentum and Δxₜ at x₍ₜ₋₁₎": "路径，以及 x₍ₜ₋₁₎ 处的 −gₜ、动量和 Δxₜ",
    "first moment v̂ₜ (faint: vₜ)": "一阶矩 v̂ₜ（浅色：vₜ）",
    "second moment ŝₜ (faint: sₜ)": "二阶矩 ŝₜ（浅色：sₜ）",
    "state {sym}": "状态变量 {sym}",
    "effective learning rate": "有效学习率",
    "rate": "学习率",
    "bias-correction factors 1−β₁ᵗ, 1−β₂ᵗ": "偏差修正因子 1−β₁ᵗ, 1−β₂ᵗ",
    "bias-correction factors 1−β₁ᵗ, 1−β₂ᵗ (switched off)": "偏差修正因子 1−β₁ᵗ, 1−β₂ᵗ（已关闭）",
    "−gₜ (downhill)": "−gₜ（下坡方向）",
    "Δxₜ (the step)": "Δxₜ（实际的一步）",
    "value at t": "t 时刻的值",
    "paths, first {steps} steps": "路径，前 {steps} 步",
    "step size |Δxₜ|": "步长 |Δxₜ|",
    "off ÷ on: (1−β₁ᵗ)/√(1−β₂ᵗ) and measured": "关 ÷ 开：(1−β₁ᵗ)/√(1−β₂ᵗ) 与实测值",
    "bias correction on": "开启偏差修正",
    "bias correction off": "关闭偏差修正",
    "step": "步",
    "measured |Δxₜ| off ÷ on": "实测 |Δxₜ| 关 ÷ 开",
    "off ÷ on": "关 ÷ 开",
    # ------------------------------------------------------------------ EWMA page
    "Exponentially weighted averages and bias correction": "指数加权移动平均与偏差修正",
    "**How does vₜ = βvₜ₋₁ + (1−β)θₜ smooth a noisy series — and why are its first values "
    "too small?** Ng's daily temperatures: move β, press ▶ Play to watch the averages being "
    "built day by day.": (
        "**vₜ = βvₜ₋₁ + (1−β)θₜ 如何平滑一个带噪声的序列——为什么它最初的值偏小？** 吴恩达的每日"
        "气温例子：拖动 β，按 ▶ 播放，看平均值如何一天天算出来。"
    ),
    "**What to notice.** A larger β averages more days: the curve gets smoother but lags "
    "behind the season (Ng's green β = 0.98 vs red 0.9), while β = 0.5 follows the noise. "
    "Without correction the average starts at 0 and crawls up; dividing by 1−βᵗ puts it on "
    "the data from day 1, and the two curves meet once βᵗ ≈ 0. Adam applies exactly this "
    "correction to its moments vₜ and sₜ.": (
        "**注意观察。** β 越大，平均的天数越多：曲线更平滑，但滞后于季节变化（吴恩达图中绿色的 "
        "β = 0.98 对比红色的 0.9），而 β = 0.5 会跟着噪声走。没有修正时，平均值从 0 开始慢慢爬升；"
        "除以 1−βᵗ 后从第 1 天起就落在数据上，一旦 βᵗ ≈ 0 两条曲线就重合。Adam 正是对它的两个矩 "
        "vₜ 和 sₜ 做这种偏差修正。"
    ),
    "β (decay)": "β（衰减率）",
    "vₜ averages roughly the last 1/(1−β) days.": "vₜ 大约是最近 1/(1−β) 天的平均。",
    "noise σ (°C)": "噪声 σ（°C）",
    "day t (window and weights)": "第 t 天（窗口与权重）",
    "bias correction vₜ/(1−βᵗ)": "偏差修正 vₜ/(1−βᵗ)",
    "β = 0.5, 0.9, 0.98 (Ng)": "β = 0.5、0.9、0.98（吴恩达）",
    "With β = {beta} the average spans about {n} days — more than the {days} days "
    "shown, so vₜ never forgets its start at v₀ = 0 here.": (
        "当 β = {beta} 时，平均大约覆盖 {n} 天——比图中的 {days} 天还多，所以这里的 vₜ 始终"
        "忘不掉起点 v₀ = 0。"
    ),
    "**The recursion and its unrolled sum**": "**递推式及其展开求和**",
    "**Why the start is too small.** With v₀ = 0 the first average is only the share "
    "1−β of the first measurement:": (
        "**为什么开头偏小。** 由于 v₀ = 0，第一个平均值只是第一个测量值的 1−β 倍："
    ),
    "The weights of vₜ sum to (1−β)(1 + β + … + βᵗ⁻¹) = 1−βᵗ, not 1. Dividing by "
    "that sum (bias correction) makes them a true average:": (
        "vₜ 的权重之和为 (1−β)(1 + β + … + βᵗ⁻¹) = 1−βᵗ，而不是 1。除以这个和（偏差修正）"
        "才使它成为真正的加权平均："
    ),
    "The correction matters only while βᵗ is not small: 1−βᵗ > 0.99 from day "
    "**{fade}** on (for β = {beta}), after which both curves coincide.": (
        "只有当 βᵗ 还不小时修正才起作用：从第 **{fade}** 天起 1−βᵗ > 0.99（β = {beta}），"
        "此后两条曲线重合。"
    ),
    "A day 1/(1−β) days back weighs 1/e of today's: older days hardly count, so vₜ "
    "is roughly an average of the last 1/(1−β) days (shaded in the chart).": (
        "1/(1−β) 天之前那一天的权重是今天的 1/e：更早的日子几乎不起作用，所以 vₜ 大约是最近 "
        "1/(1−β) 天（图中阴影部分）的平均。"
    ),
    "last 1/(1−β) ≈ {n} days": "最近 1/(1−β) ≈ {n} 天",
    "θₜ (measured)": "θₜ（测量值）",
    "seasonal curve": "季节曲线",
    "β = {b} (corrected)": "β = {b}（已修正）",
    "vₜ (no correction)": "vₜ（未修正）",
    "vₜ/(1−βᵗ) (bias-corrected)": "vₜ/(1−βᵗ)（偏差修正后）",
    "today": "当天",
    "day": "天数",
    "day t": "天数 t",
    "day i": "天数 i",
    "weight": "权重",
    "corrected weight": "修正后的权重",
    "÷ (1−βᵗ): bias-corrected": "÷ (1−βᵗ)：偏差修正后",
    "weights of v at day t = {day}: they sum to 1−βᵗ = {total}": (
        "第 t = {day} 天 v 的各项权重：总和为 1−βᵗ = {total}"
    ),
    # ----------------------------------------------------------------- learning-rate schedules page
    "Learning-rate schedules (学习率衰减, 预热, 周期性调整)": (
        "学习率调度（学习率衰减、学习率预热、学习率周期性调整）"
    ),
    "**Should the learning rate α_t stay the same for the whole run — or shrink, warm up, or "
    "grow again?**": (
        "**学习率 α_t 应该在整个训练过程中保持不变——还是逐渐减小、先预热，或者再次增大？**"
    ),
    "Scenario": "场景",
    "Schedule α_t": "学习率调度 α_t",
    "initial rate $\\alpha_0$": "初始学习率 $\\alpha_0$",
    "total steps T": "总步数 T",
    "linear warm-up $T'$ (学习率预热)": "线性学习率预热 $T'$",
    "Problem: surface, optimizer, start": "问题设置：损失曲面、优化器、起点",
    "Surface (损失曲面)": "损失曲面",
    "The schedule in a run, next to a constant rate": "调度在实际迭代中的效果，与常数学习率对比",
    "Same optimizer, surface and start. The constant run keeps the rate the schedule starts "
    "from: α₀ for a decay or SGDR, α_min for the triangular cycle, which periodically raises "
    "it. Press ▶ Play.": (
        "相同的优化器、损失曲面和起点。常数学习率的那次迭代使用调度的起始学习率：各种衰减和 SGDR "
        "为 α₀，三角循环学习率为 α_min（它会周期性地增大学习率）。按 ▶ 播放。"
    ),
    "**What to notice.** Early on a large α_t makes fast progress, but near a minimum it keeps "
    "bouncing across the steep direction; decay (学习率衰减) keeps the early speed and removes "
    "the late zig-zag — step decay shows a kink in the loss at every drop, cosine decay reaches "
    "α_min exactly at T. A cyclic rate does the opposite on purpose: its large-rate phases make "
    "sharp minima and saddles unstable, and its small-rate phases let the run settle wherever "
    "it landed.": (
        "**注意观察。** 开始时较大的 α_t 进展很快，但在最小值附近会在陡峭方向上来回弹跳；学习率衰"
        "减保留了前期的速度，又消除了后期的振荡——阶梯衰减在每次下降时损失曲线上都有一个拐点，余弦"
        "衰减恰好在 T 时达到 α_min。周期性学习率则有意反其道而行之：大学习率阶段使尖锐最小值和鞍点"
        "变得不稳定，小学习率阶段则让迭代在落脚之处稳定下来。"
    ),
    "1 · Oscillation damped by decay (学习率衰减)": "1 · 学习率衰减抑制振荡",
    "2 · Escaping a sharp minimum with a cyclic rate (周期性调整)": (
        "2 · 用周期性学习率逃离尖锐最小值"
    ),
    "SGD with α₀ = 0.5 on the ill-conditioned quadratic 0.1x₁² + 2x₂²: the steep curvature is λ "
    "= 4, so 1 − α₀λ = −1 and at a constant rate x₂ flips between ±2 for ever. Any decay pushes "
    "α_t below 2/λ and the zig-zag dies out.": (
        "SGD，α₀ = 0.5，目标为病态二次函数 0.1x₁² + 2x₂²：陡峭方向的曲率为 λ = 4，所以 1 − α₀λ = −"
        "1，在常数学习率下 x₂ 永远在 ±2 之间来回翻转。任何衰减都会把 α_t 压到 2/λ 以下，振荡随之消"
        "失。"
    ),
    "SGD started next to the sharp minimum of the flat-vs-sharp surface. The triangular cycle "
    "starts at its floor α_min = 0.02, the constant run keeps that rate and settles in the "
    "sharp basin; the cycle's climb towards α_max = α₀ makes the sharp minimum unstable (its "
    "curvature ≈ 49 needs α < 0.04), kicks the iterate out, and the flat minimum (curvature ≈ "
    "1.7) keeps it. The sharp minimum is slightly deeper, so the cyclic run ends at a higher "
    "loss: the point is where it ends — a flat minimum is the one that generalizes.": (
        "SGD 从“平坦最小值与尖锐最小值”曲面上的尖锐最小值旁边出发。三角循环学习率从下限 α_min = 0."
        "02 开始，常数学习率的那次迭代保持这个学习率，停在尖锐的谷中；循环学习率向 α_max = α₀ 攀升"
        "时，尖锐最小值变得不稳定（其曲率 ≈ 49，需要 α < 0.04），迭代点被踢了出去，而平坦最小值（"
        "曲率 ≈ 1.7）留住了它。尖锐最小值略深一些，所以循环学习率的那次迭代最终损失更高：关键在于"
        "它停在哪里——平坦最小值才是泛化更好的那个。"
    ),
    "Step (阶梯)": "阶梯衰减",
    "Inverse-time (逆时)": "逆时衰减",
    "Exponential (指数)": "指数衰减",
    "Natural exp. (自然指数)": "自然指数衰减",
    "1/√(t+1)": "1/√(t+1)",
    "Cosine (余弦)": "余弦衰减",
    "Triangular cyclic (三角循环)": "三角循环学习率",
    "SGDR (热重启)": "SGDR（热重启）",
    "Constant α = {eta:.3g}": "常数学习率 α = {eta:.3g}",
    "flat minimum (平坦最小值)": "平坦最小值",
    "sharp minimum (尖锐最小值)": "尖锐最小值",
    "no minimum (diverged)": "没有最小值（已发散）",
    "the minimum at ({x:.3g}, {y:.3g})": "({x:.3g}, {y:.3g}) 处的最小值",
    "still zig-zags": "仍在来回振荡",
    "has settled": "已经稳定下来",
    "**{label}** diverged at step {k} ({reason}).": "**{label}** 在第 {k} 步发散（{reason}）。",
    "**{label}** ends at ({x:.3g}, {y:.3g}), f = {f:.3g}, and {moving}: amplitude {size} over "
    "the last {window} steps.": (
        "**{label}** 停在 ({x:.3g}, {y:.3g})，f = {f:.3g}，并且{moving}：最后 {window} 步的振幅为 "
        "{size}。"
    ),
    "**{label}** ends at ({x:.3g}, {y:.3g}) in the {minimum}, f = {f:.3g}, and {moving}: "
    "amplitude {size} over the last {window} steps.": (
        "**{label}** 停在 ({x:.3g}, {y:.3g})，位于{minimum}，f = {f:.3g}，并且{moving}：最后 {wind"
        "ow} 步的振幅为 {size}。"
    ),
    "Initial learning rate α₀ (初始学习率).": "初始学习率 α₀。",
    # ------------------------------------------------------------------ clipping page
    "Exploding and vanishing gradients, clipping (梯度爆炸/消失, 梯度截断)": (
        "梯度爆炸、梯度消失与梯度截断"
    ),
    "**What does one huge gradient do to a run — and what can clipping do about a gradient that "
    "is huge, or one that has vanished?**": (
        "**一个巨大的梯度会对一次迭代造成什么影响——面对巨大的梯度或已经消失的梯度，梯度截断又能做"
        "什么？**"
    ),
    "**按值截断 — clipping by value** (every component into [a, b])": (
        "**按值截断**（把每个分量限制在 [a, b] 内）"
    ),
    "**按模截断 — clipping by norm** (only the length)": "**按模截断**（只改变长度）",
    "learning rate $\\eta$": "学习率 $\\eta$",
    "threshold $b$ (截断阈值)": "截断阈值 $b$",
    "steps": "迭代步数",
    "**Gradient norms.** Solid: ‖∇f(x_t)‖ where each run stands; dashed: the length of the "
    "gradient it actually used after clipping; dotted: the threshold b.": (
        "**梯度的模。** 实线：每次迭代所在位置的 ‖∇f(x_t)‖；虚线：截断后实际使用的梯度的长度；点线"
        "：截断阈值 b。"
    ),
    "**What to notice.** At the cliff's edge the gradient is a hundred times larger than on the "
    "slope behind it, and one step of η·g throws the unclipped run off the surface (梯度爆炸). "
    "Clipping by norm only shortens that step and keeps its direction; clipping by value caps "
    "every component at ±b, so a gradient pointing mostly down the cliff is turned towards the "
    "diagonal. On the plateau the gradient vanishes (梯度消失): clipping only ever shrinks "
    "gradients, so it cannot help — an adaptive method such as Adam rescales the tiny gradient "
    "by √v̂ₜ and walks off the plateau.": (
        "**注意观察。** 在悬崖边缘，梯度比其后方坡面上的大一百倍，一步 η·g 就把未截断的迭代甩出了"
        "曲面（梯度爆炸）。按模截断只缩短这一步并保持其方向；按值截断把每个分量限制在 ±b 以内，所"
        "以一个主要指向悬崖下方的梯度会被转向对角线方向。在平台上梯度消失：梯度截断只会缩小梯度，"
        "所以帮不上忙——像 Adam 这样的自适应方法用 √v̂ₜ 放大微小的梯度，从而走出平台。"
    ),
    "No clipping": "不截断",
    "By value (按值截断)": "按值截断",
    "By norm (按模截断)": "按模截断",
    "Adam, no clipping": "Adam，不截断",
    "{label}: used": "{label}：实际使用",
    "{label}: diverged at step {k}": "{label}：在第 {k} 步发散",
    "diverged": "发散",
    "**{label}** diverged at step {k}: ‖g‖ reached {g:.3g} and one step η·g threw the point off "
    "the surface.": (
        "**{label}** 在第 {k} 步发散：‖g‖ 达到 {g:.3g}，一步 η·g 就把迭代点甩出了曲面。"
    ),
    "**{label}** was thrown {jump:.3g} in one step (step {k}) by a gradient of up to ‖g‖ = "
    "{g:.3g}.": (
        "**{label}** 在一步之内（第 {k} 步）被甩出 {jump:.3g}，梯度最大达到 ‖g‖ = {g:.3g}。"
    ),
    "**{label}** did not move at all: the gradient vanishes here (梯度消失), its largest ‖g‖ "
    "was {g:.2g}.": ("**{label}** 完全没有移动：这里梯度消失，最大的 ‖g‖ 只有 {g:.2g}。"),
    "**{label}** moved only {moved:.2g}: the gradient vanishes here (梯度消失), its largest ‖g‖ "
    "was {g:.2g}.": ("**{label}** 只移动了 {moved:.2g}：这里梯度消失，最大的 ‖g‖ 只有 {g:.2g}。"),
    "**{label}** never made a step longer than {jump:.3g} (largest ‖g‖ = {g:.3g}).": (
        "**{label}** 的每一步都不超过 {jump:.3g}（最大 ‖g‖ = {g:.3g}）。"
    ),
    "**{label}** clipped {n} steps but still diverged at step {k}: b = {b:.3g} is too large to "
    "tame this gradient.": (
        "**{label}** 截断了 {n} 步，但仍在第 {k} 步发散：b = {b:.3g} 太大，压不住这个梯度。"
    ),
    "**{label}** never clipped: {bound} stayed below b = {b:.3g}, so it is the same run as "
    "without clipping.": (
        "**{label}** 从未截断：{bound} 始终小于 b = {b:.3g}，所以它与不截断的迭代完全相同。"
    ),
    "every |g_i|": "每个 |g_i|",
    "kept the direction of every gradient (largest turn {angle})": (
        "保持了每个梯度的方向（最大转角 {angle}）"
    ),
    "capped each component at ±b and so turned the gradient by up to {angle}": (
        "把每个分量限制在 ±b 以内，因此梯度方向最多被转动了 {angle}"
    ),
    "**{label}** clipped {n} steps and {what}; its longest step was {jump:.3g}.": (
        "**{label}** 截断了 {n} 步，{what}；最长的一步为 {jump:.3g}。"
    ),
    "Clipping only shrinks gradients longer than b = {b:.3g}; it never makes a vanished "
    "gradient longer, so it cannot help here.": (
        "梯度截断只会缩小长于 b = {b:.3g} 的梯度，永远不会让消失的梯度变长，所以在这里帮不上忙。"
    ),
    "This optimizer rescales the small gradient itself: the unclipped run moved {moved:.3g} and "
    "ended at f = {f:.3g}.": (
        "这个优化器自己会放大微小的梯度：未截断的迭代移动了 {moved:.3g}，最终 f = {f:.3g}。"
    ),
    "**{label}** divides by √v̂ₜ, which is as tiny as the gradient, so its steps keep a usable "
    "length: it moved {moved:.3g} and ended at f = {f:.3g}.": (
        "**{label}** 除以 √v̂ₜ，而它和梯度一样微小，所以步长仍保持可用的大小：它移动了 {moved:.3g}"
        "，最终 f = {f:.3g}。"
    ),
    "**{label}** divides by √v̂ₜ, which is as tiny as the gradient, so its steps keep a usable "
    "length: it also only moved {moved:.3g} and ended at f = {f:.3g}.": (
        "**{label}** 除以 √v̂ₜ，而它和梯度一样微小，所以步长仍保持可用的大小：但它也只移动了 {move"
        "d:.3g}，最终 f = {f:.3g}。"
    ),
    "Learning rate η (学习率) of all three runs.": "三次迭代共用的学习率 η。",
    "Clipping threshold b (截断阈值).": "截断阈值 b。",
    # ------------------------------------------------------------------ regularization page
    "Regularization: L1 vs L2 (正则化)": "正则化：L1 与 L2",
    "**Why does an L1 penalty set weights exactly to zero, while L2 only makes them small?**": (
        "**为什么 L1 惩罚会让权重恰好变为零，而 L2 只会让它们变小？**"
    ),
    "Minimizing a regularized loss is the same as minimizing the data loss J inside a region "
    "‖θ‖ ≤ t: a diamond for L1, a circle for L2. The solution is where the smallest ellipse of "
    "J touches the region. Move λ and watch where they touch.": (
        "最小化正则化后的损失，等价于在区域 ‖θ‖ ≤ t 内最小化数据损失 J：L1 的区域是菱形，L2 的是圆"
        "。解就在 J 的最小等值椭圆与该区域相切之处。拖动 λ，观察它们在哪里相切。"
    ),
    "regularization strength λ (正则化系数)": "正则化系数 λ",
    "tilt φ of J's ellipses (degrees)": "J 的椭圆的倾角 φ（度）",
    "θ₁ and θ₂ exactly 0 (sparse, 稀疏)": "θ₁ 和 θ₂ 恰好为 0（稀疏）",
    "{coord} exactly 0 (sparse, 稀疏)": "{coord} 恰好为 0（稀疏）",
    "no zero yet": "还没有恰好为 0 的坐标",
    "At λ = {lam:g}: the **L1** minimizer is θ* = ({l1x}, {l1y}) — {sparse}; the **L2** "
    "minimizer is θ* = ({l2x}, {l2y}) — smaller than c = (2, 1), but not zero.": (
        "当 λ = {lam:g} 时：**L1** 的最小值点为 θ* = ({l1x}, {l1y})——{sparse}；**L2** 的最小值点为"
        " θ* = ({l2x}, {l2y})——比 c = (2, 1) 小，但不为零。"
    ),
    "**The regularization path** — every minimizer as λ grows from 0:": (
        "**正则化路径**——λ 从 0 增大时的每一个最小值点："
    ),
    "{coord} at λ ≈ {lam:.2f}": "{coord} 在 λ ≈ {lam:.2f} 处",
    ", ": "，",
    "none in range": "此范围内没有",
    "L1 coordinates become exactly 0 at finite λ: {hits}. The L2 path only approaches 0 as λ → "
    "∞: (A + λI)⁻¹Ac is never 0 for finite λ.": (
        "L1 的坐标在有限的 λ 处恰好变为 0：{hits}。L2 的路径只在 λ → ∞ 时才趋近 0：对有限的 λ，(A "
        "+ λI)⁻¹Ac 永远不为 0。"
    ),
    "**What to notice.** The diamond has corners on the axes and the ellipses of J usually "
    "touch it first at a corner, so a coordinate is exactly 0 — L1 selects features. The circle "
    "has no corners: the touching point slides towards 0 but stays off the axes. The L1 path is "
    "piecewise linear and lands on an axis at a finite λ; the L2 path only shrinks.": (
        "**注意观察。** 菱形的角在坐标轴上，J 的椭圆通常先在某个角处碰到它，所以某个坐标恰好为 0——"
        "L1 会做特征选择（稀疏）。圆没有角：切点向 0 滑动，但始终不落在坐标轴上。L1 的路径是分段线"
        "性的，在有限的 λ 处落到坐标轴上；L2 的路径只会收缩。"
    ),
    "Weight decay vs L2 in Adam (权重衰减 vs L2 正则化)": "Adam 中的权重衰减与 L2 正则化",
    "**Is weight decay the same as adding λ/2‖θ‖² to the loss?** For SGD, yes; for Adam, no.": (
        "**权重衰减是否等同于在损失中加上 λ/2‖θ‖²？** 对 SGD 是的；对 Adam 不是。"
    ),
    "learning rate η (学习率)": "学习率 η",
    "λ: L2 coefficient / weight decay": "λ：L2 正则化系数 / 权重衰减系数",
    "○ minimum of J, c = (2, 1) · ★ minimum of J + λ/2‖θ‖² = ({x:.3f}, {y:.3f}). Press ▶ Play.": (
        "○ J 的最小值 c = (2, 1) · ★ J + λ/2‖θ‖² 的最小值 = ({x:.3f}, {y:.3f})。按 ▶ 播放。"
    ),
    "run": "运行",
    "distance to argmin J + λ/2‖θ‖²": "到 argmin J + λ/2‖θ‖² 的距离",
    "SGD: the two paths agree to {gap:.1e} at every step — float32 round-off. In SGD weight "
    "decay ≡ L2 regularization.": (
        "SGD：两条路径在每一步的差别都不超过 {gap:.1e}——只是 float32 的舍入误差。在 SGD 中，权重衰"
        "减 ≡ L2 正则化。"
    ),
    "AdamW ends near the minimum of J + ½ Σᵢ λ√ŝᵢ θᵢ² — an L2 penalty whose strength per "
    "coordinate, λ√ŝ = ({e1:.3f}, {e2:.3f}), comes from the gradient history, not λ = {lam:g} "
    "alone.": (
        "AdamW 停在 J + ½ Σᵢ λ√ŝᵢ θᵢ² 的最小值附近——这是一个 L2 惩罚，但每个坐标的强度 λ√ŝ = ({e1:"
        ".3f}, {e2:.3f}) 由梯度的历史决定，而不只是 λ = {lam:g}。"
    ),
    "**What to notice.** The two SGD panels draw the same path: subtracting ηλθ is exactly the "
    "gradient of λ/2‖θ‖². With Adam the L2 gradient λθ is divided by √ŝ like the rest, so Adam "
    "+ L2 still ends at the ★ (the minimum of J + λ/2‖θ‖²), while AdamW's decay λθ is not "
    "rescaled and pulls to a different end point — weight decay ≠ L2 for Adam, which is why "
    "AdamW exists.": (
        "**注意观察。** 两个 SGD 面板画出的是同一条路径：减去 ηλθ 恰好就是 λ/2‖θ‖² 的梯度。在 Adam"
        " 中，L2 项的梯度 λθ 和其余部分一样被除以 √ŝ，所以 Adam + L2 仍然停在 ★（J + λ/2‖θ‖² 的最"
        "小值）处；而 AdamW 的衰减项 λθ 不被缩放，会把迭代拉向另一个终点——对 Adam 而言权重衰减 ≠ L"
        "2 正则化，这正是 AdamW 存在的原因。"
    ),
    "L1: J(θ) + λ‖θ‖₁ — the diamond ‖θ‖₁ ≤ t": "L1：J(θ) + λ‖θ‖₁ —— 菱形 ‖θ‖₁ ≤ t",
    "L2: J(θ) + λ/2‖θ‖₂² — the circle ‖θ‖₂ ≤ t": "L2：J(θ) + λ/2‖θ‖₂² —— 圆 ‖θ‖₂ ≤ t",
    "iso-lines of J": "J 的等值线",
    "axes": "坐标轴",
    "level set of J through θ*": "过 θ* 的 J 的等值线",
    "path of θ*(λ)": "θ*(λ) 的路径",
    "minimum of J (λ = 0)": "J 的最小值（λ = 0）",
    "c = (2, 1): minimum of J": "c = (2, 1)：J 的最小值",
    "L1 {name} = 0 from λ ≈ {hit:.2f}": "从 λ ≈ {hit:.2f} 起 L1 的 {name} = 0",
    "L1 {name} hits 0": "L1 的 {name} 变为 0",
    "Adam on J + λ/2‖θ‖² (L2 in the loss)": "Adam 最小化 J + λ/2‖θ‖²（L2 在损失中）",
    "AdamW (decoupled weight decay λ)": "AdamW（解耦的权重衰减 λ）",
    "SGD on J + λ/2‖θ‖² (L2 in the loss)": "SGD 最小化 J + λ/2‖θ‖²（L2 在损失中）",
    "SGD with weight decay (1−ηλ)θ": "带权重衰减 (1−ηλ)θ 的 SGD",
    "minimum of J: c = (2, 1)": "J 的最小值：c = (2, 1)",
    "minimum of J + λ/2‖θ‖²: ({x:.3f}, {y:.3f})": "J + λ/2‖θ‖² 的最小值：({x:.3f}, {y:.3f})",
    "Tilt φ of the data loss's ellipses (degrees).": "数据损失的椭圆的倾角 φ（度）。",
    "Regularization strength λ (正则化系数).": "正则化系数 λ。",
    "Learning rate η of all four runs (学习率).": "四次迭代共用的学习率 η。",
    "λ: the L2 coefficient, or the weight decay (权重衰减).": "λ：L2 正则化系数，或权重衰减系数。",
    # ------------------------------------------------------------------ gradient checking page
    "Gradient checking (梯度检验)": "梯度检验",
    "**Is my gradient right? Compare it with a finite difference, coordinate by coordinate.**": (
        "**我的梯度算对了吗？逐个坐标地与有限差分比较。**"
    ),
    "θ₁": "θ₁",
    "θ₂": "θ₂",
    "ε of the table": "表格所用的 ε",
    "precision": "精度",
    "plant a bug (dθ₁ ÷ 2)": "植入一个错误（dθ₁ ÷ 2）",
    "A classic slip: d(θ²)/dθ = 2θ, but the code forgot the 2 in dθ₁.": (
        "一个典型的疏忽：d(θ²)/dθ = 2θ，但代码在 dθ₁ 中漏掉了因子 2。"
    ),
    "Arrows: −∇J (downhill). Click the picture to check another θ.": (
        "箭头：−∇J（下坡方向）。点击图片可以检验另一个 θ。"
    ),
    "buggy dθ": "有错误的 dθ",
    "dθ (jax.grad)": "dθ（jax.grad）",
    "**At θ = ({x:.3g}, {y:.3g}), ε = {eps:.0e}, {precision}:**": (
        "**在 θ = ({x:.3g}, {y:.3g})，ε = {eps:.0e}，{precision}：**"
    ),
    "dθ_approx (two-sided)": "dθ_approx（双边）",
    "one-sided": "单边",
    "two-sided": "双边",
    "|difference|": "|差值|",
    "relative error = {error:.2e}: {verdict}": "相对误差 = {error:.2e}：{verdict}",
    "great — the gradient is right (Ng: ≈1e-7)": "很好——梯度是对的（吴恩达：≈1e-7）",
    "check again — suspicious (Ng: ≈1e-5)": "需要再检查——有些可疑（吴恩达：≈1e-5）",
    "probably a bug (Ng: ≈1e-3 or worse)": "很可能有错误（吴恩达：≈1e-3 或更差）",
    "The gradient is almost 0 here, so a relative error compares tiny numbers and means little. "
    "Check at another point.": (
        "这里的梯度几乎为 0，相对误差是在比较极小的数，意义不大。请换一个点检验。"
    ),
    "float32 has ~7 significant digits: round-off u/ε ≈ 6e-8/ε swamps small ε, and even the "
    "best ε (≈1e-3) gives only ≈1e-5. Ng's thresholds assume float64.": (
        "float32 只有约 7 位有效数字：舍入误差 u/ε ≈ 6e-8/ε 会淹没较小的 ε，即使取最好的 ε（≈1e-3"
        "）也只能达到 ≈1e-5。吴恩达的阈值是以 float64 为前提的。"
    ),
    "**Error against ε** (one-sided vs two-sided, float64 vs float32):": (
        "**误差随 ε 的变化**（单边与双边，float64 与 float32）："
    ),
    "**What to notice.** For large ε the error is truncation: the one-sided difference falls "
    "with slope 1 (error ∝ ε), the two-sided with slope 2 (∝ ε²) — why the notes use the "
    "two-sided one. For small ε round-off takes over (∝ u/ε), so each curve is a V: in float64 "
    "the two-sided V bottoms out near ε ≈ 1e-5 far below 1e-7; in float32 it bottoms out near ε "
    "≈ 1e-3 at only ≈1e-5. Plant the bug and every curve flattens at ≈1e-1 whatever ε: that is "
    "what a wrong gradient looks like. (On a quadratic the two-sided difference is exact, J‴ = "
    "0: only round-off is left.)": (
        "**注意观察。** ε 较大时误差来自截断：单边差分的误差以斜率 1 下降（误差 ∝ ε），双边差分以"
        "斜率 2 下降（∝ ε²）——这就是笔记使用双边方法的原因。ε 较小时舍入误差占主导（∝ u/ε），所以"
        "每条曲线都呈 V 形：在 float64 中双边差分的 V 形底部在 ε ≈ 1e-5 附近，远低于 1e-7；在 floa"
        "t32 中底部在 ε ≈ 1e-3 附近，只能达到 ≈1e-5。植入错误后，无论 ε 取多少，每条曲线都停在 ≈1e"
        "-1 附近：错误的梯度就是这个样子。（在二次函数上双边差分是精确的，J‴ = 0：只剩下舍入误差。"
        "）"
    ),
    "great (≈1e-7)": "很好（≈1e-7）",
    "check again (≈1e-5)": "需要再检查（≈1e-5）",
    "probably a bug (≈1e-3)": "很可能有错误（≈1e-3）",
    "error": "误差",
    "slope {power} (∝ ε^{power})": "斜率 {power}（∝ ε^{power}）",
    "relative error": "相对误差",
    "iso-lines": "等值线",
    "−∇f (downhill)": "−∇f（下坡方向）",
    "check here": "检验此处",
    "−∇f at θ": "θ 处的 −∇f",
    "Step ε of the finite difference.": "有限差分的步长 ε。",
    # ------------------------------------------------------------------ own surface page
    "Your own surface (自定义曲面)": "自定义曲面",
    "**What does gradient descent do on a surface you make up?** Type a formula in x and y (`^` "
    "or `**` for powers; sin, cos, exp, log, sqrt, abs, tanh, min, max, ...).": (
        "**梯度下降在你自己设计的曲面上会怎样？** 输入一个关于 x 和 y 的公式（幂用 `^` 或 `**`；可"
        "用 sin、cos、exp、log、sqrt、abs、tanh、min、max 等）。"
    ),
    "f(x, y) =": "f(x, y) =",
    "Examples": "示例",
    "— pick an example —": "— 选择一个示例 —",
    "Narrow bowl": "狭窄的碗",
    "Egg crate": "蛋托",
    "Rosenbrock": "Rosenbrock 函数",
    "L1 norm (kinks)": "L1 范数（有尖点）",
    "Double well": "双势阱",
    "x range": "x 范围",
    "y range": "y 范围",
    "{key}: the range was reversed — using {lo:g},{hi:g}": "{key}：范围颠倒了——改用 {lo:g},{hi:g}",
    "{key}: the range is empty — using {lo:g},{hi:g}": "{key}：范围为空——改用 {lo:g},{hi:g}",
    "This formula cannot be used: {message}": "无法使用这个公式：{message}",
    "Showing the last formula that worked: `{formula}`": "显示的是上一个可用的公式：`{formula}`",
    "start x": "起点 x",
    "start y": "起点 y",
    "Choose at least one optimizer.": "请至少选择一个优化器。",
    "{name} diverged at step {k} — try a smaller η.": "{name} 在第 {k} 步发散——试试更小的 η。",
    "**Contour and gradient field** (arrows: −∇f, downhill)": (
        "**等值线与梯度场**（箭头：−∇f，下坡方向）"
    ),
    "**In 3D** (drag to turn)": "**三维视图**（拖动可旋转）",
    "Share this surface and race — copy the link:": "分享这个曲面和这场比赛——复制链接：",
    "**What to notice.** The arrows are −∇f: gradient descent follows them, so a long arrow "
    "means a big step for the same η. Where the arrows change length fast (Rosenbrock's walls, "
    "the narrow bowl's y direction) a single η is too big somewhere and too small elsewhere; at "
    "a kink like |x| the gradient jumps and plain SGD zig-zags forever, while momentum and Adam "
    "smooth it out.": (
        "**注意观察。** 箭头是 −∇f：梯度下降沿着它们走，所以在同样的 η 下，箭头越长步子越大。在箭"
        "头长度变化剧烈的地方（Rosenbrock 的谷壁、狭窄的碗的 y 方向），单一的 η 在某处太大、在别处"
        "又太小；在 |x| 这样的尖点处梯度会跳变，普通 SGD 会永远来回振荡，而动量法和 Adam 能把振荡"
        "平滑掉。"
    ),
    # ------------------------------------------------------------------ noise / minima page
    "Mini-batch noise, saddle points, flat vs sharp minima "
    "(小批量梯度下降, 鞍点, 平坦/尖锐最小值)": "小批量噪声、鞍点、平坦最小值与尖锐最小值",
    "**Why does a small batch — a noisier gradient — escape saddle points, and end in flat "
    "minima more often than a large one?**": (
        "**为什么小批量——噪声更大的梯度——比大批量更容易逃离鞍点，也更常收敛到平坦最小值？**"
    ),
    "A mini-batch of K samples (批量大小 K) averages K per-sample gradients, so its error "
    "shrinks like 1/√K. We model it as Gaussian noise on the true gradient:": (
        "一个含 K 个样本的小批量（批量大小 K）对 K 个单样本梯度取平均，因此其误差按 1/√K 缩小。"
        "我们把它建模为叠加在真实梯度上的高斯噪声："
    ),
    "batch size K (批量大小)": "批量大小 K",
    "learning rate $\\eta$ (学习率)": "学习率 $\\eta$",
    "one-sample noise $\\sigma_1$": "单样本噪声 $\\sigma_1$",
    "σ_K = σ₁/√K = {sigma1}/√{k} = {sigma}. Each picture runs {seeds} copies with different "
    "noise (seeds 0–{last}) in one vmapped call.": (
        "σ_K = σ₁/√K = {sigma1}/√{k} = {sigma}。每幅图在一次 vmap 调用中运行 {seeds} 个"
        "噪声不同的副本（随机种子 0–{last}）。"
    ),
    "(a) Saddle point (鞍点): the noise gets you out": "(a) 鞍点：噪声帮你逃出来",
    "start height above the ridge y₀": "起点离山脊的高度 y₀",
    "0: exactly on the ridge, where the gradient has no y component.": (
        "0：正好在山脊上，此处梯度没有 y 分量。"
    ),
    "steps T": "步数 T",
    "Running the cloud…": "正在运行这一簇轨迹…",
    "**stuck at the saddle point**, where ∇f = 0.": "**停滞在鞍点**，那里 ∇f = 0。",
    "it leaves the ridge only at step {step}, thanks to its start offset y₀.": (
        "它靠起点偏移 y₀ 才在第 {step} 步离开山脊。"
    ),
    "half of them by step {step}": "其中一半在第 {step} 步之前逃离",
    "fewer than half": "不到一半",
    "Full-batch gradient descent (σ = 0) ends at ({x}, {y}): {stuck} With K = {k}, "
    "{share} of the noisy runs escaped ({when}).": (
        "全批量梯度下降（σ = 0）停在 ({x}, {y})：{stuck} 当 K = {k} 时，{share} 的带噪声运行"
        "逃离了鞍点（{when}）。"
    ),
    "Noise check: the steps of the cloud imply σ = {measured}; the model says σ₁/√K = {model}.": (
        "噪声核对：由这一簇轨迹的步长推得 σ = {measured}；模型给出 σ₁/√K = {model}。"
    ),
    "(b) Flat vs sharp minimum (平坦最小值 / 尖锐最小值)": "(b) 平坦最小值与尖锐最小值",
    "Every run starts at θ₀ = {start} inside the narrow, sharp well (right); noise-free "
    "gradient descent stays there. Where do noisy runs end?": (
        "每次运行都从狭窄的尖锐极小值谷（右侧）内的 θ₀ = {start} 出发；无噪声的梯度下降会"
        "停留在那里。带噪声的运行最终落在哪里？"
    ),
    "apply linear scaling ×m (线性缩放规则)": "应用线性缩放规则 ×m",
    "Batch K → m·K and η → m·η, for the same number of epochs (T → T/m steps).": (
        "批量 K → m·K，学习率 η → m·η，回合数不变（T → T/m 步）。"
    ),
    "With K = {k}: **{flat} end in the flat minimum**, {sharp} in the sharp one, "
    "{unsettled} have not settled (farther than two well widths from both), {diverged} "
    "diverged.": (
        "当 K = {k} 时：**{flat} 收敛到平坦最小值**，{sharp} 收敛到尖锐最小值，{unsettled} "
        "尚未稳定（离两个极小值都超过两个谷宽），{diverged} 发散。"
    ),
    "**Linear scaling rule, ×{m}:** the batch grows to K = {k}; for the same number "
    "of epochs the run takes T/m = {steps} steps. Compare the batch alone with the "
    "batch **and** η scaled:": (
        "**线性缩放规则，×{m}：** 批量增大到 K = {k}；回合数不变时只需 T/m = {steps} 步。"
        "比较只放大批量与同时放大批量**和** η 的结果："
    ),
    "η × m = {lr} is beyond 2/λ_max = {limit} even of the flat well: runs keep "
    "bouncing instead of settling — the rule breaks when the batch (and η) get very "
    "large.": (
        "η × m = {lr} 甚至超过了平坦极小值处的 2/λ_max = {limit}：运行来回振荡而无法稳定——"
        "当批量（和 η）非常大时，该规则失效（训练不稳定）。"
    ),
    "η × m = {lr} is above the sharp minimum's stability limit 2/λ_max = {limit}: "
    "gradient descent cannot converge to it any more, so part of the agreement "
    "comes from the curvature, not from the noise.": (
        "η × m = {lr} 超过了尖锐最小值的稳定性上限 2/λ_max = {limit}：梯度下降再也无法收敛到"
        "那里，因此结果的一致有一部分来自曲率，而不是噪声。"
    ),
    "**The (K, η) map.** Share of runs that end in the flat minimum after T steps, "
    "{seeds} seeds per cell (one `optviz.sweep` over η × σ_K per seed).": (
        "**(K, η) 图。** T 步后收敛到平坦最小值的运行所占比例，每格 {seeds} 个随机种子"
        "（每个种子对 η × σ_K 调用一次 `optviz.sweep`）。"
    ),
    "Sweeping {rows} × {cols} settings…": "正在扫描 {rows} × {cols} 种设置…",
    "**What to notice.** On the saddle, full-batch gradient descent walks along the ridge "
    "into the saddle point and stops, because the gradient there is zero (基于梯度下降的"
    "优化方法会在鞍点附近接近于停滞). Any noise pushes a run off the ridge, and from then on "
    "y grows like (1 + 2η)ᵗ: smaller batches escape sooner. In the double well, the noise "
    "level ησ₁²/K decides. A small batch is kicked out of the narrow sharp well and settles "
    "in the wide flat one. A large batch stays where gradient descent would. Too small a "
    "batch never settles at all (批量越小，越有可能收敛到平坦最小值). The linear scaling rule "
    "(K ×m, η ×m, same epochs) keeps ησ₁²/K and ηT, so the shares stay the same — until η × m "
    "becomes too large for the curvature.": (
        "**注意观察。** 在鞍点上，全批量梯度下降沿山脊走进鞍点后停下，因为那里梯度为零"
        "（基于梯度下降的优化方法会在鞍点附近接近于停滞）。任何噪声都会把运行推离山脊，"
        "此后 y 按 (1 + 2η)ᵗ 增长：批量越小，逃离得越早。在双谷函数中，噪声水平 ησ₁²/K "
        "起决定作用。小批量会被踢出狭窄的尖锐极小值谷，落入宽阔的平坦极小值谷；大批量则"
        "停在梯度下降本来会停的地方；批量太小则始终无法稳定（批量越小，越有可能收敛到平坦"
        "最小值）。线性缩放规则（K ×m、η ×m、回合数不变）保持 ησ₁²/K 和 ηT 不变，所以各部分"
        "比例不变——直到 η × m 相对于曲率变得过大。"
    ),
    "{n} runs with K = {k} (σ_K = {sigma})": "{n} 次运行，K = {k}（σ_K = {sigma}）",
    "where the runs end": "运行终点",
    "end": "终点",
    "escaped (|y| ≥ {limit})": "已逃离（|y| ≥ {limit}）",
    "share of the runs": "运行所占比例",
    "flat": "平坦",
    "your setting": "当前设置",
    "after ×m": "×m 之后",
    "batch size K": "批量大小 K",
    "learning rate η": "学习率 η",
    "before: K = {k}, η = {lr}, T = {steps}": "之前：K = {k}，η = {lr}，T = {steps}",
    "batch ×{m} only: K = {k}, η = {lr}, T = {steps}": (
        "仅批量 ×{m}：K = {k}，η = {lr}，T = {steps}"
    ),
    "linear scaling: K = {k}, η = {lr}, T = {steps}": "线性缩放：K = {k}，η = {lr}，T = {steps}",
    "flat minimum": "平坦最小值",
    "sharp minimum": "尖锐最小值",
    "not converged": "未收敛",
    "escaped": "已逃离",
    "still near the ridge": "仍在山脊附近",
    "full batch (σ = 0)": "全批量（σ = 0）",
    "Gradient-noise std of ONE sample (K = 1).": "单个样本（K = 1）的梯度噪声标准差。",
    # ------------------------------------------------------------------ conditioning page
    "Conditioning and normalization (归一化, 条件数)": "条件数与归一化",
    "**Why does gradient descent crawl when the features have different scales — and what "
    "do normalization, momentum and adaptive rates change about it?**": (
        "**为什么特征尺度不同时梯度下降会慢如爬行——归一化、动量法和自适应学习率又能改变什么？**"
    ),
    "Near a minimum every loss is a quadratic with Hessian H. Gradient descent multiplies "
    "the error along each eigenvector of H by 1 − ηλᵢ, so it is stable only below a limit "
    "set by the steepest direction, and the flattest one then decides the speed:": (
        "在极小值附近，任何损失函数都近似为 Hessian 矩阵为 H 的二次函数。梯度下降把沿 H 每个"
        "特征向量方向的误差乘以 1 − ηλᵢ，因此只有学习率低于最陡方向决定的上限时才稳定，而"
        "此时最平缓的方向决定收敛速度："
    ),
    "1 · Normalization (归一化): the notes' J(θ) = (3θ₁ + 600θ₂ − ŷ)²": (
        "1 · 归一化：笔记中的 J(θ) = (3θ₁ + 600θ₂ − ŷ)²"
    ),
    "Area (≈ 600) and rooms (≈ 3) on their raw scales make θ₂ 200× more sensitive "
    "than θ₁. One sample fits on a whole line of θ, so a small L2 term λ‖θ‖² (λ = "
    "{ridge}, 权重衰减) makes the minimum unique; ŷ = {target}.": (
        "面积（≈ 600）和房间数（≈ 3）保持原始尺度时，θ₂ 比 θ₁ 敏感 200 倍。一个样本可被一整条"
        "直线上的 θ 拟合，所以加一个小的 L2 项 λ‖θ‖²（λ = {ridge}，权重衰减）使极小值唯一；"
        "ŷ = {target}。"
    ),
    "η as a share of each loss's own η_max = 2/λ_max": "η 占各自损失的 η_max = 2/λ_max 的比例",
    "steps to J − J* ≤ {tol}": "达到 J − J* ≤ {tol} 的步数",
    "The raw loss's steep direction allows only η < {limit}: its flat direction then "
    "shrinks by a factor 1 − ηλ_min = {factor} per step — a crawl (κ = {kappa}). After "
    "normalization κ = {normalized} and η can be {ratio}× larger.": (
        "原始损失的陡峭方向只允许 η < {limit}：于是其平缓方向每步只缩小为 1 − ηλ_min = {factor} "
        "倍——慢如爬行（κ = {kappa}）。归一化后 κ = {normalized}，η 可以增大 {ratio} 倍。"
    ),
    "The ill-conditioned quadratic (病态二次函数)": "病态二次函数",
    "condition number $\\kappa$": "条件数 $\\kappa$",
    "rotation $\\theta$ (°)": "旋转角 $\\theta$（°）",
    "2 · Condition number κ and the stability limit η < 2/λ_max": (
        "2 · 条件数 κ 与稳定性上限 η < 2/λ_max"
    ),
    "SGD learning rate $\\eta$": "SGD 学习率 $\\eta$",
    ":green[**stable**: η = {lr} < 2/λ_max = {limit}]": (
        ":green[**稳定**：η = {lr} < 2/λ_max = {limit}]"
    ),
    ":red[**unstable**: η = {lr} ≥ 2/λ_max = {limit}]": (
        ":red[**不稳定**：η = {lr} ≥ 2/λ_max = {limit}]"
    ),
    "2/λ_max from the autodiff Hessian's eigenvalues: {hessian} (closed form "
    "2/(0.2κ) = {limit}).": (
        "由自动微分 Hessian 矩阵的特征值得到的 2/λ_max：{hessian}（闭式解 2/(0.2κ) = {limit}）。"
    ),
    "SGD diverged at step {step}.": "SGD 在第 {step} 步发散。",
    "3 · Momentum (动量法): the convergence-rate map": "3 · 动量法：收敛速率图",
    "With v_t = γv_{t−1} + g_t and θ_t = θ_{t−1} − ηv_t, each eigen-direction λ of the "
    "quadratic evolves by a 2×2 matrix; the run converges at the rate of the largest "
    "eigenvalue modulus over both directions:": (
        "取 v_t = γv_{t−1} + g_t 与 θ_t = θ_{t−1} − ηv_t，二次函数的每个特征方向 λ 都按一个 "
        "2×2 矩阵演化；运行的收敛速率是两个方向上最大的特征值模："
    ),
    "momentum learning rate $\\eta$": "动量法学习率 $\\eta$",
    "momentum $\\gamma$": "动量 $\\gamma$",
    "Momentum diverged at step {step} (predicted ρ = {rate} ≥ 1).": (
        "动量法在第 {step} 步发散（预测 ρ = {rate} ≥ 1）。"
    ),
    "too fast to measure": "太快，无法测量",
    "Predicted rate ρ = **{rate}** per step (error ×10⁻³ in {steps} steps); measured "
    "on the run: {measured}. The best heavy ball for κ = {kappa} is η* = {lr}, "
    "γ* = {gamma} with ρ* = (√κ − 1)/(√κ + 1) = {best}; plain gradient descent "
    "(γ = 0) at best reaches (κ − 1)/(κ + 1) = {gd}.": (
        "预测速率为每步 ρ = **{rate}**（{steps} 步后误差 ×10⁻³）；在本次运行上测得：{measured}。"
        "κ = {kappa} 时最优的重球法参数为 η* = {lr}、γ* = {gamma}，对应 "
        "ρ* = (√κ − 1)/(√κ + 1) = {best}；普通梯度下降（γ = 0）最好只能达到 "
        "(κ − 1)/(κ + 1) = {gd}。"
    ),
    "4 · Adaptive methods depend on the axes": "4 · 自适应方法依赖于坐标轴",
    "Rotate the valley and start from the rotated point. Gradient descent only sees the "
    "gradient, which rotates with the valley. RMSProp and Adam divide each "
    "**coordinate** by its own √s_t, so the axes matter.": (
        "旋转山谷，并从旋转后的点出发。梯度下降只看梯度，而梯度随山谷一起旋转。RMSProp 和 "
        "Adam 把每个**坐标**除以它自己的 √s_t，所以坐标轴的方向很重要。"
    ),
    "final ‖θ_T‖ at {angle}°": "{angle}° 时最终的 ‖θ_T‖",
    "final ‖θ_T‖ at 0°": "0° 时最终的 ‖θ_T‖",
    "max_t ‖p_t − R_θ p⁽⁰⁾_t‖: how far the rotated run is from the run at 0° turned by "
    "θ. SGD's is float32 round-off; RMSProp's and Adam's are as large as the paths.": (
        "max_t ‖p_t − R_θ p⁽⁰⁾_t‖：旋转后的运行与把 0° 时的运行旋转 θ 之后相差多远。SGD 的差值"
        "只是 float32 舍入误差；RMSProp 和 Adam 的差值与路径本身一样大。"
    ),
    "**What to notice.** The raw loss needs an η below 3·10⁻⁶ and then does not move "
    "along θ₁ at all; after normalization the same fraction of η_max converges in about "
    "twenty steps: normalization shrinks κ, and κ is what makes gradient descent slow. On "
    "the quadratic, cross 2/λ_max = 10/κ with the η slider and the run diverges along the "
    "steep axis. Momentum moves the limit out to 2(1 + γ)/λ_max and the best rate from "
    "(κ−1)/(κ+1) to (√κ−1)/(√κ+1). Adaptive methods rescale coordinates, not directions, "
    "so they help most when the valley lines up with the axes.": (
        "**注意观察。** 原始损失需要 η 小于 3·10⁻⁶，而此时沿 θ₁ 几乎完全不动；归一化后，取 "
        "η_max 的同样比例只需约二十步就能收敛：归一化减小了 κ，而正是 κ 让梯度下降变慢。在"
        "二次函数上，用 η 滑块越过 2/λ_max = 10/κ，运行就会沿陡峭轴发散。动量法把上限扩展到 "
        "2(1 + γ)/λ_max，并把最优速率从 (κ−1)/(κ+1) 提高到 (√κ−1)/(√κ+1)。自适应方法缩放的"
        "是坐标而不是方向，所以当山谷与坐标轴对齐时帮助最大。"
    ),
    "valley at 0°": "0° 的山谷",
    "valley rotated by θ = {angle}°": "旋转 θ = {angle}° 的山谷",
    "{name} (η = {lr})": "{name}（η = {lr}）",
    "{name} — x₂ axis stretched ×100": "{name}——x₂ 轴放大 100 倍",
    "momentum η = {lr}, γ = {gamma}": "动量法 η = {lr}，γ = {gamma}",
    "best: η* = {lr}, γ* = {gamma}": "最优：η* = {lr}，γ* = {gamma}",
    "yours: η = {lr}, γ = {gamma}": "当前：η = {lr}，γ = {gamma}",
    "momentum γ": "动量 γ",
    "diverged at step {step}": "在第 {step} 步发散",
    "not within {steps}": "{steps} 步内未达到",
    "Raw features (3, 600)": "原始特征 (3, 600)",
    "Normalized features (0.5, 0.55)": "归一化特征 (0.5, 0.55)",
    "raw": "原始",
    "normalized": "归一化",
    "loss": "损失函数",
    "η used": "所用 η",
    "η as a share of 2/λ_max.": "η 占 2/λ_max 的比例。",
    "SGD's learning rate η (学习率).": "SGD 的学习率 η。",
    "Momentum's learning rate η.": "动量法的学习率 η。",
    # ----------------------------------------------------------------- sweeps (pages/sweeps.py)
    "Sweeps and search (超参数优化)": "超参数扫描与搜索（超参数优化）",
    "**Which hyperparameters matter most — and how do you find good ones without trying them "
    "all?** Every cell and every dot below is a full run of the optimizer, thousands at once.": (
        "**哪些超参数最重要——又如何在不全部尝试的情况下找到好的取值？** 下面每个格子、每个点"
        "都是优化器的一次完整运行，一次成千上万次。"
    ),
    "Section": "部分",
    "Hyperparameter map": "超参数图",
    "Fair comparison": "公平比较",
    "Basins of attraction": "吸引域",
    "Grid vs random search": "网格搜索与随机搜索",
    "Successive halving": "逐次减半",
    "Momentum: η × γ on the quadratic": "动量法：二次函数上的 η × γ",
    "Adam: η × β₁ on Rosenbrock": "Adam：Rosenbrock 函数上的 η × β₁",
    "RMSProp: η × noise σ on Himmelblau": "RMSProp：Himmelblau 函数上的 η × 噪声 σ",
    "Random beats grid search when only η matters": "只有 η 重要时，随机搜索胜过网格搜索",
    "Fair comparison on Rosenbrock": "Rosenbrock 函数上的公平比较",
    "Basins of Himmelblau": "Himmelblau 函数的吸引域",
    "Noise picks the flat minimum": "噪声选择平坦最小值",
    "Successive halving: Adam on Rosenbrock": "逐次减半：Rosenbrock 函数上的 Adam",
    "Std σ of the gradient noise (小批量噪声).": "梯度噪声的标准差 σ（小批量噪声）。",
    "The map: η × one more hyperparameter": "超参数图：η × 另一个超参数",
    "Steps per run T": "每次运行的步数 T",
    "Second hyperparameter": "第二个超参数",
    "Cells per axis": "每轴格数",
    "🔍 Zoom in": "🔍 放大",
    "↺ Full ranges": "↺ 完整范围",
    "Colour by": "着色依据",
    "η from": "η 从",
    "η to": "η 到",
    "Up to 200 × 200 = 40 000 runs.": "最多 200 × 200 = 40 000 次运行。",
    "Around the best cell.": "围绕最优格子。",
    "The map's learning-rate axis (log scale).": "超参数图的学习率轴（对数刻度）。",
    "Range of {axis}": "{axis} 的范围",
    "axis: {opt} has no {stale} — using {axis}": "axis：{opt} 没有 {stale}——改用 {axis}",
    "{name}: {value} is outside {param}'s range [{low}, {high}]": (
        "{name}：{value} 超出 {param} 的范围 [{low}, {high}]"
    ),
    "Running {runs} full runs of {steps} steps…": "正在运行 {runs} 次完整运行，每次 {steps} 步…",
    "Every run on this map diverged: lower the learning-rate range.": (
        "这张图上的每次运行都发散了：请降低学习率范围。"
    ),
    "This surface lists no minimum, so no run can reach a tolerance around it.": (
        "这个曲面没有列出最小值，所以没有运行能达到其附近的容差。"
    ),
    "{res} × {res} = {runs} runs of {steps} steps; dark grey cells diverged ({share}). ★ is "
    "the best cell. Hover for the numbers, click a cell to replay its run.": (
        "{res} × {res} = {runs} 次运行，每次 {steps} 步；深灰色格子发散（{share}）。★ 是最优"
        "格子。悬停查看数值，点击格子重放其运行。"
    ),
    "Replaying the run…": "正在重放运行…",
    "{label}: diverged at step {step}.": "{label}：在第 {step} 步发散。",
    "reached f − f* ≤ {tol} at step {step}": "在第 {step} 步达到 f − f* ≤ {tol}",
    "{label}: final f − f* = {gap}. {reached}": "{label}：最终 f − f* = {gap}。{reached}",
    "On this map η alone explains **{lr}** of the variation of log₁₀(f − f*), {sym} alone "
    "**{y}**, the two together {both} (functional ANOVA). Ng's notes rank η first (最重要: "
    "学习速率 α), then β₁ or momentum (次重要) — compare with this map.": (
        "在这张图上，η 单独解释了 log₁₀(f − f*) 变化的 **{lr}**，{sym} 单独解释 **{y}**，"
        "两者的交互作用解释 {both}（函数方差分析）。吴恩达的笔记把 η 排在第一（最重要：学习"
        "速率 α），其次是 β₁ 或动量（次重要）——与这张图对照一下。"
    ),
    "**What to notice.** Dark cells are runs that blew up. On the default map (momentum on the "
    "quadratic, λ_max = 4) the heavy ball is stable only for η·λ_max < 2(1+γ), so the edge "
    "sits at η = 0.5 for γ = 0 and moves right as γ grows. The good region bends the other "
    "way: the effective step is η/(1−γ), so a larger γ gets there with a smaller η — η and γ "
    "interact, and the best cells hug the edge. Moving only floats (ranges, start) never "
    "recompiles.": (
        "**注意观察。** 深色格子是爆炸的运行。在默认的图上（二次函数上的动量法，λ_max = 4），"
        "重球法只在 η·λ_max < 2(1+γ) 时稳定，所以边界在 γ = 0 时位于 η = 0.5，并随 γ 增大而"
        "右移。好的区域朝另一方向弯曲：有效步长是 η/(1−γ)，所以更大的 γ 用更小的 η 就能达到"
        "——η 与 γ 相互作用，最优格子紧贴边界。只改变浮点数（范围、起点）永远不会重新编译。"
    ),
    "Running {n} × 60 full runs of {steps} steps…": "正在运行 {n} × 60 次完整运行，每次 {steps} 步…",
    "{surface}, {steps} steps, η from {lo} to {hi} (sidebar); every other hyperparameter at "
    "its default. AdaDelta's η is a multiplier of its step.": (
        "{surface}，{steps} 步，η 从 {lo} 到 {hi}（侧边栏）；其他超参数均取默认值。AdaDelta "
        "的 η 是其步长的乘数。"
    ),
    "**What to notice.** Compared at one shared η, whichever optimizer happens to like that η "
    "wins. Compared each at its own best η (★), the picture changes: SGD and momentum are "
    "best just below the η where they diverge (✕) — the largest stable learning rate — while "
    "RMSProp and Adam, whose steps are about η per coordinate, never blow up here but want a "
    "very different η. The last column says how forgiving each one is.": (
        "**注意观察。** 在同一个共享的 η 下比较，恰好适合这个 η 的优化器获胜。各自在自己的最优 "
        "η（★）下比较，情况就变了：SGD 和动量法在它们发散的 η（✕）之下一点最好——即最大的稳定"
        "学习率；而 RMSProp 和 Adam 每个坐标的步长约为 η，在这里从不爆炸，但需要差别很大的 η。"
        "最后一列说明每种方法有多宽容。"
    ),
    "gradient noise σ": "梯度噪声 σ",
    "Each start draws its own noise (小批量噪声).": "每个起点抽取各自的噪声（小批量噪声）。",
    "Steps T": "步数 T",
    "Starts per axis": "每轴起点数",
    "seed": "随机种子",
    "Running {starts} starts × {steps} steps…": "正在运行 {starts} 个起点 × {steps} 步…",
    "A run ends in a minimum when it stops within {radius} of it; otherwise it has not "
    "converged (light) or diverged (dark grey).": (
        "运行停在某个最小值 {radius} 以内时，就算结束于该最小值；否则为未收敛（浅色）或发散"
        "（深灰色）。"
    ),
    "**What to notice.** On Himmelblau the four basins (吸引域) meet along curved borders; "
    "momentum twists them, since a run can coast through a saddle into another basin. On the "
    "flat-vs-sharp surface the sharp minimum (平坦/尖锐最小值) owns a small basin, and noise σ "
    "kicks runs out of it: with σ = 1 almost no run stays sharp. On Rastrigin every ripple has "
    "its own basin — where you start decides where you end.": (
        "**注意观察。** 在 Himmelblau 函数上，四个吸引域沿弯曲的边界相接；动量法会扭曲它们，"
        "因为一次运行可以滑过鞍点进入另一个吸引域。在平坦与尖锐曲面上，尖锐最小值只拥有一个小的"
        "吸引域，噪声 σ 会把运行踢出去：σ = 1 时几乎没有运行停在尖锐最小值。在 Rastrigin 函数"
        "上，每个波纹都有自己的吸引域——从哪里出发决定了在哪里结束。"
    ),
    "Budget N (runs tried)": "预算 N（尝试的运行次数）",
    "With N = {n}{largest}, the {k}×{k} grid tries only **{k} different η**; random search "
    "(随机搜索) tries **{n}**. Mean best log₁₀(f − f*) over 200 draws: grid **{grid}**, random "
    "**{random}** (exact expectation).": (
        "N = {n}{largest} 时，{k}×{k} 网格只尝试 **{k} 个不同的 η**；随机搜索尝试 **{n}** 个。"
        "200 次抽取的平均最优 log₁₀(f − f*)：网格 **{grid}**，随机 **{random}**（精确期望）。"
    ),
    " (the largest k² ≤ {n})": "（不超过 {n} 的最大 k²）",
    "🔍 Coarse-to-fine: zoom the map 4× around its best cell": (
        "🔍 从粗略到精细：围绕最优格子把图放大 4 倍"
    ),
    "**What to notice.** A grid (网格搜索) spends its budget repeating the same few values of "
    "each hyperparameter: when only η matters, a 5×5 grid is a 5-point search. Random points "
    "all have different η, so random search finds the good η sooner — the notes' reason to "
    "prefer it when there are many hyperparameters. Then search coarse to fine (从粗略到精细): "
    "zoom in around the best and search again.": (
        "**注意观察。** 网格搜索把预算花在重复每个超参数的少数几个取值上：当只有 η 重要时，5×5 "
        "网格只是 5 个点的搜索。随机点的 η 各不相同，所以随机搜索更快找到好的 η——这正是笔记在"
        "超参数很多时推荐随机搜索的原因。然后从粗略到精细：围绕最优点放大，再搜索一次。"
    ),
    "Configurations n": "配置数 n",
    "Running {n} configurations through the rounds…": "正在让 {n} 个配置逐轮运行…",
    "Winner: η = {lr}, {axis} = {y}, f − f* = {gap}.  \nTotal cost {cost} steps = {runs} full "
    "runs of {steps} steps. Random search with {runs} full runs would expect f − f* ≈ "
    "{random_gap}.": (
        "胜出者：η = {lr}，{axis} = {y}，f − f* = {gap}。  \n总成本 {cost} 步 = {runs} 次 "
        "{steps} 步的完整运行。用 {runs} 次完整运行的随机搜索，期望 f − f* ≈ {random_gap}。"
    ),
    "**What to notice.** Successive halving (逐次减半, 动态资源分配) looks at many more "
    "configurations ({n}) than the {runs} full runs its budget buys, because it stops the bad "
    "ones early. Its risk is visible too: a configuration that starts slowly (small η) but "
    "would end best is dropped in the first rounds, so the winner is the best *early* "
    "performer.": (
        "**注意观察。** 逐次减半（动态资源分配）考察的配置数（{n}）远多于其预算能买到的 {runs} "
        "次完整运行，因为它提前停止差的配置。它的风险也清晰可见：起步慢（η 小）但最终会最好的"
        "配置在最初几轮就被淘汰，所以胜出者是*早期*表现最好的。"
    ),
    # figure words (optviz.plots, optviz.export): legends, hover text, buttons, axis titles
    "diverged at step {k}": "第 {k} 步发散",
    "last point": "最后一点",
    "minimum": "极小值点",
    "saddle": "鞍点",
    "start here": "从这里出发",
    # parameter names on the sliders ("lr η" reads "学习率 η")
    "lr": "学习率",
    "kappa": "条件数",
    "angle": "旋转角",
    "eps": "数值稳定项",
    "lr_min": "最小学习率",
    "period": "周期",
    "step_size": "衰减间隔",
    "t_mult": "周期倍增因子",
    "warmup": "预热步数",
    "clip_max": "截断阈值",
    "beta": "衰减系数",
    # the export panel under every chart (optviz/ui/exports.py)
    "Export: {kinds}": "导出：{kinds}",
    "code": "代码",
    "Show the code (optviz and optax)": "显示代码（optviz 与 optax）",
    "Files are made when you press a button. The camera in the chart's toolbar saves the "
    "frame you see as a PNG.": "按下按钮时才生成文件。图表工具栏中的相机按钮可把当前画面保存为 PNG。",
}

from optviz.ui.i18n_zh_sweeps import ZH_SWEEPS  # noqa: E402 - the sweeps figures' words

ZH |= ZH_SWEEPS

from optviz.ui.i18n_zh_data import ZH_DATA  # noqa: E402 - the real-data page's words

ZH |= ZH_DATA
