"""Chinese for the real-data page and its figures (optviz.lessons.realdata), merged into ZH."""

ZH_DATA: dict[str, str] = {
    # ------------------------------------------------------------------ the page
    "Real data: training vs validation": "真实数据：训练与验证",
    "Real data: training vs validation (真实数据)": "真实数据：训练误差与验证误差",
    "**Does the minimum of the training loss also minimize the validation loss — and when "
    "should training stop?** A real model on real data: the run descends the training "
    "loss (left); the same path, measured on held-out validation data (right).": (
        "**训练损失的最小值点也是验证损失的最小值点吗——训练应该在什么时候停下？** "
        "真实数据上的真实模型：优化过程沿训练损失下降（左）；同一条路径在留出的验证数据上的损失（右）。"
    ),
    "Data set": "数据集",
    "normalize inputs (归一化)": "输入归一化",
    "all": "全部",
    "training rows m": "训练样本数 m",
    "full batch": "全批量",
    "mini-batch size K": "小批量大小 K",
    "L2 penalty $\\lambda$": "L2 正则化系数 $\\lambda$",
    "batch seed": "批次随机种子",
    "Source:": "来源：",
    "κ, raw inputs": "κ（原始输入）",
    "κ, normalized inputs": "κ（归一化输入）",
    "stability limit 2/λ_max": "稳定上限 2/λ_max",
    "Real mini-batches vs the Gaussian model (小批量)": "真实小批量与高斯噪声模型",
    "A mini-batch of K rows, drawn without replacement from the m training rows, has a "
    "gradient whose spread is exactly": "从 m 个训练样本中无放回地抽取 K 个组成小批量，其梯度的离散程度恰为",
    "— the noise page's model σ_K = σ₁/√K, measured here from the data, with a "
    "correction that makes it vanish at K = m (the full batch).": (
        "——即噪声页面的模型 σ_K = σ₁/√K，这里的 σ₁ 由数据实测，外加一个修正项，使它在 K = m（全批量）时为零。"
    ),
    "Run both clouds: real mini-batches vs Gaussian noise": "运行两团轨迹：真实小批量与高斯噪声",
    "Turn the clouds on to run {n} seeds of real mini-batches of K rows beside "
    "{n} runs with the noise page's Gaussian noise of the same spread.": (
        "打开后将运行 {n} 个随机种子的真实小批量（每批 K 个样本），以及 {n} 条带有同样离散程度的高斯噪声"
        "（噪声页面的模型）的轨迹。"
    ),
    "**What to notice.** The two minima differ: the model fits its training rows best, not "
    "the validation rows. With few training rows (m = 40) the validation error "
    "falls, then rises again while the training error keeps falling — that turn is where "
    "early stopping (早停) ends training. Turn normalization off: the same data make a "
    "knife-thin valley (κ in the tens of thousands) and the learning rate that worked now "
    "diverges. Small batches K make the path noisy, exactly as the noise page's Gaussian "
    "model says (σ_K ∝ 1/√K), and λ pulls the minimum toward zero along the dotted path.": (
        "**注意观察。** 两个最小值点并不重合：模型最拟合的是训练样本，而不是验证样本。训练样本很少时"
        "（m = 40），验证误差先下降、再回升，而训练误差一直在下降——转折处就是早停结束训练的地方。"
        "关掉归一化：同样的数据变成一条刀刃般狭窄的山谷（κ 达到上万），原来可用的学习率现在会发散。"
        "小批量 K 越小路径越嘈杂，正如噪声页面的高斯模型所说（σ_K ∝ 1/√K）；λ 则沿虚线把最小值点拉向零。"
    ),
    # ------------------------------------------------------------------ the data sets
    "Diabetes progression vs BMI": "糖尿病病情与体重指数",
    "Breast cancer: radius and texture": "乳腺癌：半径与纹理",
    "Wine: alcohol and proline": "葡萄酒：酒精与脯氨酸",
    "Handwritten digits (8×8)": "手写数字（8×8）",
    "442 diabetes patients: body-mass index and a measure of disease progression one year "
    "later. A straight line ŷ = w·x + b through the cloud: the loss over its slope w and "
    "intercept b is the bowl.": (
        "442 名糖尿病患者：体重指数与一年后的病情进展指标。用一条直线 ŷ = w·x + b 拟合这团点："
        "损失关于斜率 w 和截距 b 的函数就是这只碗。"
    ),
    "569 tumours, malignant or benign, described by the mean radius and the mean texture of "
    "their cell nuclei. Logistic regression with two weights decides which side of a line "
    "through the origin a tumour falls.": (
        "569 个肿瘤（恶性或良性），用细胞核的平均半径和平均纹理描述。两个权重的逻辑回归判断一个肿瘤"
        "落在一条过原点的直线的哪一侧。"
    ),
    "178 Italian wines from three cultivars; is it cultivar 1? Two features on very "
    "different scales, alcohol (~13 %) and proline (~750 mg/l): without normalization the "
    "loss is a knife-thin valley.": (
        "178 种来自三个品种的意大利葡萄酒；它是第 1 个品种吗？两个特征的尺度相差悬殊：酒精（约 13%）和"
        "脯氨酸（约 750 mg/l）：不做归一化，损失就是一条刀刃般狭窄的山谷。"
    ),
    "1797 handwritten digits, 8×8 grey images with 64 pixel features and ten classes: the "
    "data a small neural network learns for the loss-landscape page.": (
        "1797 个手写数字，8×8 灰度图像，64 个像素特征，十个类别：损失地形页面上小型神经网络学习的数据。"
    ),
    "Learning rate η.": "学习率 η。",
    "L2 penalty λ.": "L2 正则化系数 λ。",
    "L2 penalty strength λ (weight decay).": "L2 正则化强度 λ（权重衰减）。",
    # ------------------------------------------------------------------ figures and story
    "training loss J_train (λ = {lam:.2g})": "训练损失（λ = {lam:.2g}）",
    "validation loss J_val (the same path)": "验证损失（同一条路径）",
    "validation minimum": "验证损失的最小值点",
    "training minimum": "训练损失的最小值点",
    "early stopping: step {k}": "早停：第 {k} 步",
    "early stopping": "早停",
    "training error": "训练误差",
    "validation error": "验证误差",
    "lowest possible validation error": "可达到的最低验证误差",
    "error (loss without λ)": "误差（不含 λ 项的损失）",
    "Gaussian model σ₁/√K": "高斯模型 σ₁/√K",
    "exact, without replacement": "精确值（无放回抽样）",
    "sampled from {n} real batches": "由 {n} 个真实小批量实测",
    "batch size K": "批量大小 K",
    "real mini-batches, K = {k}": "真实小批量，K = {k}",
    "Gaussian model, σ = {s:.2g}": "高斯模型，σ = {s:.2g}",
    "Diverged at step {k}: η = {lr:.3g} is above this surface's limit 2/λ_max = {limit:.3g}.": (
        "第 {k} 步发散：η = {lr:.3g} 超过了这个曲面的上限 2/λ_max = {limit:.3g}。"
    ),
    "Diverged at step {k}, with η = {lr:.3g} under gradient descent's limit 2/λ_max = "
    "{limit:.3g} at the minimum.": (
        "第 {k} 步发散，尽管 η = {lr:.3g} 低于梯度下降在最小值处的上限 2/λ_max = {limit:.3g}。"
    ),
    "The validation error was lowest at step {k} ({best:.4g}) and ended at {last:.4g}: "
    "stopping early (早停) at step {k} generalizes better.": (
        "验证误差在第 {k} 步最低（{best:.4g}），最后为 {last:.4g}：在第 {k} 步早停，泛化得更好。"
    ),
    "The validation error was still falling at the last step ({last:.4g}): no reason to stop "
    "early yet.": "验证误差到最后一步仍在下降（{last:.4g}）：还没有理由早停。",
    "Generalization gap at the end: J_val − J_train = {gap:.3g} (the lowest validation error "
    "this model can reach is {vmin:.4g}).": (
        "最终的泛化差距：验证误差 − 训练误差 = {gap:.3g}（这个模型能达到的最低验证误差是 {vmin:.4g}）。"
    ),
    # ------------------------------------------------------------------ the playground's real surfaces
    "Real data: diabetes, slope and intercept": "真实数据：糖尿病，斜率与截距",
    "Real data: breast cancer, logistic regression": "真实数据：乳腺癌，逻辑回归",
    "Real data: wine, raw inputs (ill-conditioned)": "真实数据：葡萄酒，原始输入（病态）",
    "Network slice: digits MLP, small batches": "网络切片：手写数字 MLP，小批量",
    "Network slice: digits MLP, full batch": "网络切片：手写数字 MLP，全批量",
    "Building this surface from real data…": "正在用真实数据构建这个曲面…",
    # ------------------------------------------------------------------ the loss-landscape page
    "A real network's loss landscape": "真实网络的损失地形",
    "A real network's loss landscape (损失地形)": "真实神经网络的损失地形",
    "**Do small mini-batches find flatter minima than large ones?** The same small network "
    "(64 → 16 → 10) learned the handwritten digits twice: with mini-batches of 16 and "
    "with the full batch. Its thousands of weights cannot be drawn, so each picture is a "
    "slice through the trained weights θ* along two random directions δ, η.": (
        "**小批量找到的最小值比大批量的更平坦吗？** 同一个小网络（64 → 16 → 10）学了两遍手写数字："
        "一遍用大小为 16 的小批量，一遍用全批量。它有几千个权重，无法直接画出，所以每张图都是沿两个随机方向"
        " δ、η 穿过训练好的权重 θ* 的一个切片。"
    ),
    "Filter-normalized directions (Li et al., 2018): every filter of δ and η is rescaled to "
    "the norm of the same filter of θ*, so α = 1 moves each filter by its own size and the "
    "two networks can be compared on the same axes. Keskar et al. (2017) found large "
    "batches in sharper minima.": (
        "滤波器归一化的方向（Li 等，2018）：δ 和 η 的每个滤波器都缩放到 θ* 中对应滤波器的范数，"
        "因此 α = 1 让每个滤波器移动它自身的大小，两个网络可以在同一坐标轴上比较。Keskar 等（2017）"
        "发现大批量训练会落入更尖锐的最小值。"
    ),
    "directions seed": "方向随机种子",
    "window ±span": "窗口范围 ±span",
    "loss on validation data": "在验证数据上计算损失",
    "radius r of the mean rise": "平均升高的半径 r",
    "Training both networks once for this server…": "正在为本服务器训练这两个网络（只需一次）…",
    "**Race optimizers on a slice** (the playground, this slice as its surface):": (
        "**在切片上让优化器赛跑**（在优化器赛场中，以这个切片为损失曲面）："
    ),
    "**What to notice.** Both networks fit the training digits perfectly and are within a "
    "point of each other on validation, yet their minima differ in shape. Move r: close to "
    'θ* one network curves more, farther out the other rises faster — "flat" and '
    '"sharp" depend on the scale you look at, which is why Li et al. normalize the '
    "directions before comparing. Switch to the validation loss: the bottom of the slice "
    "moves away from θ*, the generalization gap seen in two dimensions.": (
        "**注意观察。** 两个网络都完美拟合了训练数据，验证准确率也只差不到一个百分点，但它们的最小值形状不同。"
        "拖动 r：在 θ* 附近一个网络弯曲得更厉害，再远一些另一个升高得更快——“平坦”与“尖锐”取决于观察的尺度，"
        "这正是 Li 等人在比较之前先对方向做归一化的原因。切换到验证损失：切片的最低点离开了 θ*，"
        "这就是二维中看到的泛化差距。"
    ),
    "Small batches (K = 16)": "小批量（K = 16）",
    "Full batch (K = 1258)": "全批量（K = 1258）",
    "θ*, the trained weights": "θ*：训练好的权重",
    "radius r": "半径 r",
    "loss L": "损失 L",
    "network": "网络",
    "training loss": "训练损失",
    "training accuracy": "训练准确率",
    "validation loss": "验证损失",
    "validation accuracy": "验证准确率",
    "mean rise within r": "半径 r 内的平均升高",
    "Within r = {r:.2g} of θ* the loss of **{name}** rises more on average "
    "({a:.4f} vs {b:.4f}): by this measure its minimum is the sharper one.": (
        "在 θ* 周围半径 r = {r:.2g} 内，**{name}** 的损失平均升高得更多（{a:.4f} 对 {b:.4f}）："
        "按这个度量，它的最小值更尖锐。"
    ),
    "Right at θ* it is the other way round: **{name}** curves more "
    "(∂²f/∂α² + ∂²f/∂β² = {a:.3f} vs {b:.3f}). Sharpness depends on how far "
    "from the minimum you look.": (
        "而恰在 θ* 处正好相反：**{name}** 弯曲得更厉害（∂²f/∂α² + ∂²f/∂β² = {a:.3f} 对 {b:.3f}）。"
        "尖锐程度取决于离最小值多远去看。"
    ),
    "The order of the mean rise flips at r ≈ {r:.2g}: move r across it.": (
        "平均升高的大小顺序在 r ≈ {r:.2g} 处翻转：把 r 拖过这个值看看。"
    ),
}
