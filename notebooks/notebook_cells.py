"""Cell texts of the generated notebooks (make_notebooks.py writes them). No logic lives here.

Every notebook: a markdown cell (what it shows, what was shortened, how to run the full version),
the shared setup cell, a run cell, then plots and a final cell of assertions against the spec.
"""

# Python twin of the token model's issuance-based schedule (spec bittensor §3.1, scenarios/README
# `emission.schedule`), shared by the default and the supply-curve notebooks.
ISSUANCE_TWIN = r'''
def issuance_schedule(genesis, reward, total, blocks):
    """Supply after each block 1..blocks and the halving blocks, in integer base units.

    Block b mints reward >> k, k = the number of thresholds total * (1 - 2^-k) that the issuance
    before block b has reached (issuance * 2^k >= total * (2^k - 1), exact integers); minting
    stops at the cap. Walks halving segments, not blocks, so millions of blocks cost nothing."""
    supply = np.empty(blocks + 1, dtype=np.int64)
    supply[0] = genesis
    b, iss, halvings = 1, genesis, []
    k = 0
    while iss * 2 ** (k + 1) >= total * (2 ** (k + 1) - 1):
        k += 1
    while b <= blocks:
        r = reward >> k
        if r == 0 or iss >= total:
            supply[b:] = iss
            break
        # Blocks at this reward until the issuance before a block reaches the next threshold.
        nxt = -(-total * (2 ** (k + 1) - 1) // 2 ** (k + 1))  # ceil(total * (1 - 2^-(k+1)))
        n = min(-(-(nxt - iss) // r), blocks - b + 1)
        n = max(n, 1)
        supply[b:b + n] = iss + r * np.arange(1, n + 1, dtype=np.int64)
        iss += r * n
        b += n
        if b <= blocks and iss >= nxt:
            while iss * 2 ** (k + 1) >= total * (2 ** (k + 1) - 1):
                k += 1
            halvings.append((b, reward >> k))
    return supply, halvings
'''

BITCOIN_TWIN = r'''
def bitcoin_schedule(genesis, reward, interval, blocks, start=0):
    """Supply after each height 0..blocks: height h mints reward >> ((h - start) // interval),
    nothing before start and nothing from 64 halvings on (spec mechanisms §5.1)."""
    h = np.arange(blocks + 1, dtype=np.int64)
    k = np.where(h >= start, (h - start) // interval, 64)
    mint = np.where((k < 64) & (h >= max(start, 1)), reward >> np.minimum(k, 63), 0)
    return genesis + np.cumsum(mint)
'''


def NOTEBOOKS(md, code, SETUP):
    nb = {}

    # ------------------------------------------------------------------ default
    nb["scenario_default"] = [
        md(r'''
# Scenario `default`: a Bittensor-style token past its first halving

`scenarios/default.cfg` (model `token`): 1 token per block, Bittensor's issuance-based halving
with a 21M cap, five compounding stakers who sometimes unstake. The reward halves when total
issuance (genesis stakes included) reaches `total_supply * (1 - 2^-k)` (spec bittensor §3.1).

**Shortened here:** the full run is 11M blocks with a 21M cap (first halving near block
10,495,000). This notebook keeps the same rule with `emission.total_supply=400000`, so the first
halving comes at 200,000 tokens of issuance, and runs 300,000 blocks sampled every 1,000 blocks
(well under a second). The full version:

    tokensim run scenarios/default.cfg --out out/default.db

Asserted: every sampled supply equals an independent Python replay of the schedule; the halving
block is the first block whose prior issuance reaches half the cap; minted = supply (nothing is
burned in this model) and stake + free over the stakers = supply at every sample.
'''),
        code(SETUP),
        code(ISSUANCE_TWIN.strip() + r'''


BLOCKS, EVERY, TOTAL = 300_000, 1_000, 400_000
con = tokensim_run("default.cfg", "default", [f"time.blocks={BLOCKS}", f"record.every={EVERY}",
                                              f"emission.total_supply={TOTAL}"])
net = series(con, ["supply", "block_reward", "halvings", "inflation_annual"])
halving = series(con, "halving").dropna()
led = ledger(con)
stakers = pd.read_sql_query(
    "SELECT s.block, e.name, s.metric, s.value FROM series s JOIN entities e USING (run_id, entity_id) "
    "WHERE e.role = 'staker'", con)
net.tail()
'''),
        code(r'''
fig, ax = plt.subplots(1, 3, figsize=(14, 3.8))
ax[0].plot(net.index, net.supply / UNIT)
for b in halving.index:
    for a in ax[:2]:
        a.axvline(b, color="red", lw=0.8, ls="--")
ax[0].set(title="Supply (tokens); dashed: halving", xlabel="block", ylabel="tokens")
ax[1].step(net.index, net.block_reward / UNIT, where="post")
ax[1].set(title="Block reward", xlabel="block", ylabel="tokens per block")
stake = stakers[stakers.metric == "stake"].pivot(index="block", columns="name", values="value")
(stake.div(stake.sum(axis=1), axis=0)).plot(ax=ax[2], legend=False)
ax[2].set(title="Stake share per staker", xlabel="block", ylabel="share")
savefig(fig, "default")
'''),
        code(r'''
genesis = int(led[(led.kind == "mint") & (led.reason == "genesis")].amount.sum())
twin, twin_halvings = issuance_schedule(genesis, 1 * UNIT, TOTAL * UNIT, BLOCKS)
# 1. The supply at every sample is the Python replay of the schedule, to the unit.
sampled = net.supply.astype("int64")
assert (sampled.values == twin[sampled.index.values]).all(), "supply differs from the schedule"
# 2. The halving: the first block whose prior issuance reaches half the cap, at half the reward.
first = 1 + -(-(TOTAL * UNIT // 2 - genesis) // UNIT)
print("genesis", genesis / UNIT, "tokens; first halving predicted at block", first,
      "simulated at", list(halving.index))
assert list(halving.index) == [first] == [twin_halvings[0][0]]
assert int(halving.halving.iloc[0]) == UNIT // 2
assert (net.block_reward[net.index < first] == UNIT).all() and (net.block_reward[net.index >= first] == UNIT // 2).all()
# 3. Conservation: everything minted is the supply (this model burns nothing), held by the stakers.
minted = int(led[led.kind == "mint"].amount.sum())
burned = int(led[led.kind == "burn"].amount.sum())
assert minted - burned == int(sampled.iloc[-1]) == int(twin[-1])
held = stakers[stakers.metric.isin(["stake", "free"])].groupby("block").value.sum()
assert (held.astype("int64") == sampled.loc[held.index]).all()
print("all assertions hold: final supply", sampled.iloc[-1] / UNIT, "tokens")
'''),
    ]


    # ------------------------------------------------------------------ bittensor-demo
    nb["scenario_bittensor_demo"] = [
        md(r"""
# Scenario `bittensor-demo`: two small subnets over five days

`scenarios/bittensor-demo.cfg` (model `bittensor`, scenarios/BITTENSOR.md): two subnets of 32
uids with tempo 100, 6 validators (one lazy, one noisy), miners competing for uids, delegators
following yields and root stakers. Subnet 2 runs the original Yuma bonds with kappa 40000.
Runs in full (36,000 blocks, under a second):

    tokensim run scenarios/bittensor-demo.cfg --out out/bittensor-demo.db

Asserted: TotalIssuance = genesis TAO + 1 TAO per block - recycled TAO at every sample (spec
§3.1, §3.11); the genesis TAO equals the ledger's genesis mints; the owner takes 18 % of each
subnet's alpha emission (§3.5, `SubnetOwnerCut`); each epoch hands out tempo x (1 - 0.18) alpha
of the subnet's block emission; the stored consensus, incentive and dividends are u16 values.
"""),
        code(SETUP),
        code(r"""
con = tokensim_run("bittensor-demo.cfg", "bittensor-demo")
net = series(con, ["issuance", "block_emission", "tao_recycled", "emission_owner", "emission_miner",
                   "emission_validator", "emission_root", "gini_stake", "top1_emission"])
subnets = {n: series(con, ["price", "pool_tao", "registrations", "prunes", "alpha_emission", "epochs",
                           "miners_serving", "yield_validator"], n) for n in (1, 2)}
epochs = pd.read_sql_query("SELECT * FROM epochs ORDER BY net, block, uid", con)
led = ledger(con)
net.tail(3)
"""),
        code(r"""
fig, ax = plt.subplots(2, 2, figsize=(12, 7))
ax[0, 0].plot(net.index, net.issuance / UNIT)
ax[0, 0].set(title="TotalIssuance (TAO)", xlabel="block")
roles = ["emission_owner", "emission_miner", "emission_validator", "emission_root"]
ax[0, 1].stackplot(net.index, *[net[r] / UNIT for r in roles], labels=[r[9:] for r in roles])
ax[0, 1].set(title="Cumulative alpha emission by role (all subnets)", xlabel="block"); ax[0, 1].legend(loc="upper left")
for n, s in subnets.items():
    ax[1, 0].plot(s.index, s.price, label=f"subnet {n}")
    ax[1, 1].plot(s.index, s.registrations, label=f"subnet {n}")
ax[1, 0].set(title="Alpha price (TAO per alpha)", xlabel="block"); ax[1, 0].legend()
ax[1, 1].set(title="Registrations (cumulative)", xlabel="block"); ax[1, 1].legend()
savefig(fig, "bittensor-demo")
"""),
        code(r"""
# 1. TotalIssuance = genesis + 1 TAO per block - recycled, to the unit, at every sample.
genesis = int(led[(led.kind == "mint") & led.reason.isin(["genesis_tao", "genesis_pool_tao", "genesis_root_stake"])].amount.sum())
assert int(net.issuance.iloc[0]) == genesis
expect = genesis + net.index.values.astype("int64") * UNIT - net.tao_recycled.astype("int64").values
assert (net.issuance.astype("int64").values == expect).all()
assert (net.block_emission == UNIT).all()  # far from the first halving (10.5M TAO)
# 2. The owner cut: 18 % of the alpha paid by role, per subnet and overall (ledger rows).
paid = led[(led.kind == "mint") & led.reason.str.startswith("emission_")]
by = paid.groupby("reason").amount.sum()
share = by["emission_owner"] / by.sum()
print("owner share of alpha emission", share)
assert abs(share - 0.18) < 1e-3
# 3. Every recorded epoch hands out tempo x alpha emission x (1 - 0.18) alpha, within 1 %.
per_epoch = epochs[epochs.block > 100].groupby(["net", "block"]).emission.sum()
ratio = per_epoch / (100 * UNIT * 0.82)
print(ratio.describe())
assert ratio.between(0.99, 1.01).all()
# 4. The chain's stored u16 outputs, and at most max_validators permits per epoch.
for col in ["consensus", "incentive", "dividends", "validator_trust"]:
    assert epochs[col].between(0, 65535).all()
assert (epochs.groupby(["net", "block"]).permit.sum() <= 8).all()
print("all assertions hold")
"""),
    ]

    # ------------------------------------------------------------------ bittensor-halving
    nb["scenario_bittensor_halving"] = [
        md(r"""
# Scenario `bittensor-halving`: TAO and alpha halvings

`scenarios/bittensor-halving.cfg` runs Bittensor from genesis past the second TAO halving: 21.1M
blocks with the 21M TAO cap, halvings at blocks 10,498,833 and 20,998,833 (about half a minute).

**Shortened here:** the same chain with `chain.total_supply=20000` (halvings at 10,000 and 15,000
TAO of issuance), validator stake 1,000 alpha (the genesis alpha must stay below the cap), and
20,000 blocks sampled every 200 blocks. The full version:

    tokensim run scenarios/bittensor-halving.cfg --out out/bittensor-halving.db

Asserted: the TAO halving blocks are those the issuance schedule gives from the genesis issuance
(spec §3.1: block b starts from genesis + (b - 1) TAO; the reward halves at the first block whose
prior issuance reaches `cap (1 - 2^-k)`), with emissions 0.5 and 0.25 TAO; TotalIssuance follows
that arithmetic to the unit at every sample; each subnet's alpha halves on its own alpha issuance.
"""),
        code(SETUP),
        code(ISSUANCE_TWIN.strip() + r"""


CAP, BLOCKS = 20_000, 20_000
con = tokensim_run("bittensor-halving.cfg", "bittensor-halving",
                   [f"chain.total_supply={CAP}", f"time.blocks={BLOCKS}", "record.every=200",
                    "record.epochs_every=10", "validators.stake=1000"])
net = series(con, ["issuance", "block_emission", "halvings", "tao_recycled"])
tao_halvings = series(con, ["halving", "halving_issuance"]).dropna()
sub = series(con, ["alpha_issuance", "alpha_emission", "price"], 1)
alpha_halvings = series(con, "alpha_halving", 1).dropna()
led = ledger(con)
print(tao_halvings, alpha_halvings, sep="\n")
"""),
        code(r"""
fig, ax = plt.subplots(1, 3, figsize=(14, 3.8))
ax[0].plot(net.index, net.issuance / UNIT, label="TotalIssuance")
ax[0].plot(sub.index, sub.alpha_issuance / UNIT, label="alpha issuance (subnet 1)")
for b in tao_halvings.index:
    ax[0].axvline(b, color="red", ls="--", lw=0.8)
for b in alpha_halvings.index:
    ax[0].axvline(b, color="green", ls=":", lw=0.8)
ax[0].set(title="Issuance; red: TAO halvings, green: alpha", xlabel="block", ylabel="tokens"); ax[0].legend()
ax[1].step(net.index, net.block_emission / UNIT, where="post", label="TAO per block")
ax[1].step(sub.index, sub.alpha_emission / UNIT, where="post", label="alpha per block")
ax[1].set(title="Block emission", xlabel="block"); ax[1].legend()
ax[2].plot(sub.index, sub.price)
ax[2].set(title="Alpha price (TAO)", xlabel="block")
savefig(fig, "bittensor-halving")
"""),
        code(r"""
genesis = int(led[(led.kind == "mint") & led.reason.isin(["genesis_tao", "genesis_pool_tao", "genesis_root_stake"])].amount.sum())
assert int(net.issuance.iloc[0]) == genesis
assert (net.tao_recycled == 0).all()  # no root stake: nothing recycled, the arithmetic is exact
twin, predicted = issuance_schedule(genesis, UNIT, CAP * UNIT, BLOCKS)
print("genesis", genesis / UNIT, "TAO; predicted halvings", predicted)
assert [(int(b), int(v)) for b, v in tao_halvings.halving.items()] == predicted[:2]
assert predicted[0][0] == 1 + -(-(CAP * UNIT // 2 - genesis) // UNIT)  # first block with prior issuance >= cap/2
assert list(tao_halvings.halving_issuance.astype("int64")) == [CAP * UNIT // 2, CAP * UNIT * 3 // 4]
# TotalIssuance at every sample is the schedule's supply.
assert (net.issuance.astype("int64").values == twin[net.index.values]).all()
# Alpha halves on the subnet's own alpha issuance: the sample before each alpha halving is below
# the threshold, the sample at or after it at or above.
for i, (b, v) in enumerate(alpha_halvings.alpha_halving.items()):
    thr = CAP * UNIT * (2 ** (i + 1) - 1) // 2 ** (i + 1)
    before = sub.alpha_issuance[sub.index < b].iloc[-1]
    after = sub.alpha_issuance[sub.index >= b].iloc[0]
    assert before < thr <= after and int(v) == UNIT >> (i + 1), (b, before, thr, after)
print("all assertions hold")
"""),
    ]

    # ------------------------------------------------------------------ bittensor-snapshot
    nb["scenario_bittensor_snapshot"] = [
        md(r"""
# Scenario `bittensor-snapshot`: "what if" from a metagraph snapshot

`scenarios/bittensor-snapshot.cfg` starts from `scenarios/snapshots/example.json` (12 uids of a
subnet at block 5,000,000) and switches commit-reveal off while 20 new miners compete for its 4
free uids. This notebook runs it twice, as the scenario suggests: commit-reveal off (the what-if)
and on (the snapshot's own setting). Both run in full (72,000 blocks, well under a second each):

    tokensim run scenarios/bittensor-snapshot.cfg --out out/bittensor-snapshot.db
    tokensim run scenarios/bittensor-snapshot.cfg --set subnets.1.commit_reveal=true --out out/snapshot-cr.db

Asserted: the run starts at the snapshot's block and lasts `time.blocks`; the subnet never exceeds
the snapshot's `max_uids` (16) and `max_validators` (4); the 4 free uids fill with registrations; the
commit-reveal switch changes the run (different digest) but not the TAO arithmetic (issuance =
start + 1 TAO per block - recycled in both).
"""),
        code(SETUP),
        code(r"""
import json
snap = json.load(open(os.path.join(SRC, "scenarios", "snapshots", "example.json")))
runs = {"commit-reveal off": tokensim_run("bittensor-snapshot.cfg", "snapshot-off"),
        "commit-reveal on": tokensim_run("bittensor-snapshot.cfg", "snapshot-on", ["subnets.1.commit_reveal=true"])}
net = {k: series(c, ["issuance", "tao_recycled", "block_emission"]) for k, c in runs.items()}
sub = {k: series(c, ["miners_registered", "miners_serving", "registrations", "prunes", "price", "yield_validator"], 1)
       for k, c in runs.items()}
epochs = {k: pd.read_sql_query("SELECT * FROM epochs ORDER BY block, uid", c) for k, c in runs.items()}
print("snapshot block", snap["block"])
"""),
        code(r"""
fig, ax = plt.subplots(1, 3, figsize=(14, 3.8))
for k in runs:
    ax[0].plot(sub[k].index, sub[k].registrations, label=k)
    ax[1].plot(sub[k].index, sub[k].yield_validator, label=k)
    d = epochs[k].groupby("block").apply(lambda e: (e.dividends * e.stake).sum() / max(e.stake.sum(), 1))
    ax[2].plot(d.index, d.values, label=k)
ax[0].set(title="Registrations (cumulative)", xlabel="block")
ax[1].set(title="Validator yield per epoch", xlabel="block")
ax[2].set(title="Stake-weighted dividends (u16)", xlabel="block")
for a in ax:
    a.legend()
savefig(fig, "bittensor-snapshot")
"""),
        code(r"""
digests = {k: c.execute("SELECT digest FROM runs").fetchone()[0] for k, c in runs.items()}
assert len(set(digests.values())) == 2, "the commit-reveal switch did not change the run"
for k in runs:
    n, e = net[k], epochs[k]
    assert n.index[0] == snap["block"] and n.index[-1] == snap["block"] + 72000, (k, n.index[0], n.index[-1])
    start = int(n.issuance.iloc[0])
    expect = start + (n.index.values.astype("int64") - snap["block"]) * UNIT - n.tao_recycled.astype("int64").values
    assert (n.issuance.astype("int64").values == expect).all(), k
    per = e.groupby("block")
    assert per.uid.max().max() < snap["hyperparameters"]["max_uids"] and (per.size() <= snap["hyperparameters"]["max_uids"]).all(), k
    assert (per.permit.sum() <= snap["hyperparameters"]["max_validators"]).all(), k
    # registrations is cumulative: its last value counts the ledger's registration burns.
    burns = runs[k].execute("SELECT count(*) FROM ledger WHERE kind = 'burn' AND reason = 'registration'").fetchone()[0]
    assert int(sub[k].registrations.iloc[-1]) == burns >= 4, k
    print(k, "registrations", burns, "prunes", int(sub[k].prunes.iloc[-1]))
print("all assertions hold")
"""),
    ]

    # ------------------------------------------------------------------ attacks
    attack_read = r"""
OPERATOR = {"cabal": 400000, "copier": 410000, "sybil": 420000, "whale": 430000}


def attack(con, kind):
    # The attack's series (entity = its operator), columns without the attack.<kind>. prefix.
    rows = pd.read_sql_query("SELECT block, metric, value FROM series WHERE entity_id = ? AND metric LIKE ?",
                             con, params=(OPERATOR[kind], f"attack.{kind}.%"))
    rows["metric"] = rows.metric.str.slice(len(f"attack.{kind}."))
    return rows.pivot_table(index="block", columns="metric", values="value", aggfunc="last")
"""

    nb["scenario_attack_cabal"] = [
        md(r"""
# Scenario `attack-cabal`: cabal self-weighting below and above kappa

`scenarios/attack-cabal.cfg` (scenarios/ATTACKS.md, spec mechanisms §6.1): 3 cabal validators
with 45 % of the validator stake and 4 low-quality miners of their own give every weight to those
miners from block 3,600. This notebook runs the scenario as shipped and with
`attacks.cabal_stake_share=0.55` (above kappa = 0.5). Both run in full (21,600 blocks, about a
second each):

    tokensim run scenarios/attack-cabal.cfg --out out/attack-cabal.db
    tokensim run scenarios/attack-cabal.cfg --set attacks.cabal_stake_share=0.55 --out out/cabal-55.db

Asserted (Yuma consensus, spec bittensor §2.7-§2.9: a column is only supported up to the weight
that stake above kappa agrees on): below kappa the cabal's self-weights are clipped away, so it
earns less per stake than honest validators (`return_ratio_total` < 1), its share gap stays
negative and `kappa_block` is -1; above kappa it takes almost all the subnet's emission
(`emission_share_total` > 0.9) and `kappa_block` is set. The attack is inactive before its start.
"""),
        code(SETUP),
        code(attack_read.strip() + r"""


START = 3600
runs = {0.45: tokensim_run("attack-cabal.cfg", "cabal-45"),
        0.55: tokensim_run("attack-cabal.cfg", "cabal-55", ["attacks.cabal_stake_share=0.55"])}
att = {k: attack(c, "cabal") for k, c in runs.items()}
att[0.45].tail(3)
"""),
        code(r"""
fig, ax = plt.subplots(1, 3, figsize=(14, 3.8))
for k, a in att.items():
    g = a.dropna(subset=["share_gap"])
    ax[0].plot(g.index, g.share_gap, marker=".", label=f"stake share {k}")
    ax[1].plot(g.index, g.emission_share, marker=".", label=f"stake share {k}")
    ax[2].plot(g.index, g.honest_share, marker=".", label=f"stake share {k}")
for x, t in zip(ax, ["Share gap (emission - stake share)", "Cabal emission share", "Honest validator stake share"]):
    x.axvline(START, color="red", ls="--", lw=0.8); x.set(title=t, xlabel="block"); x.legend()
ax[2].axhline(0.5, color="grey", lw=0.5)
savefig(fig, "attack-cabal")
summary = pd.DataFrame({k: a[["emission_share_total", "return_ratio_total", "share_gap_total", "kappa_block"]].ffill().iloc[-1]
                        for k, a in att.items()})
summary
"""),
        code(r"""
low, high = summary[0.45], summary[0.55]
assert low.kappa_block == -1 and low.return_ratio_total < 1 and low.emission_share_total < 0.45
assert high.kappa_block != -1 and high.emission_share_total > 0.9 and high.return_ratio_total > 1
for k, a in att.items():
    act = a.active.dropna()
    assert (act[act.index < START] == 0).all() and (act[act.index >= START] == 1).all(), k
    before = a.share_gap[(a.index < START)].dropna()
    assert len(before) and (before < 0).all(), k  # honest behaviour: validators earn about half their stake share
assert (att[0.45].share_gap[att[0.45].index > START].dropna() < 0).all()
print("all assertions hold")
"""),
    ]

    nb["scenario_attack_copier"] = [
        md(r"""
# Scenario `attack-copier`: weight copying against commit-reveal

`scenarios/attack-copier.cfg` (ATTACKS.md, mechanisms §6.1, §6.2 d): one validator with 10 % of
the validator stake copies the last public consensus; miners churn, so the consensus moves.
Commit-reveal (reveal one tempo later) hides the current weights. This notebook runs it with
commit-reveal on (as shipped) and off; both in full (21,600 blocks, about a second each):

    tokensim run scenarios/attack-copier.cfg --out out/attack-copier.db
    tokensim run scenarios/attack-copier.cfg --set subnet_defaults.commit_reveal=false --out out/copier-nocr.db

Asserted: the copier's advantage G (its dividends per stake over the honest median's) stays below
1 in both (it follows new miners an epoch late), and commit-reveal lowers G (ATTACKS.md measured
0.958 against 0.975 for this seed).
"""),
        code(SETUP),
        code(attack_read.strip() + r"""


runs = {"commit-reveal on": tokensim_run("attack-copier.cfg", "copier-cr"),
        "commit-reveal off": tokensim_run("attack-copier.cfg", "copier-nocr", ["subnet_defaults.commit_reveal=false"])}
att = {k: attack(c, "copier") for k, c in runs.items()}
G = {k: a.advantage_total.dropna().iloc[-1] for k, a in att.items()}
G
"""),
        code(r"""
fig, ax = plt.subplots(1, 2, figsize=(11, 3.8))
for k, a in att.items():
    g = a.dropna(subset=["advantage"])
    ax[0].plot(g.index, g.advantage, marker=".", label=f"{k} (total {G[k]:.3f})")
    ax[1].plot(g.index, g.emission_share, marker=".", label=k)
ax[0].axhline(1, color="grey", lw=0.5)
ax[0].set(title="Copier advantage G per period", xlabel="block"); ax[0].legend()
ax[1].set(title="Copier emission share", xlabel="block"); ax[1].legend()
savefig(fig, "attack-copier")
"""),
        code(r"""
assert all(0 < g < 1 for g in G.values()), G
assert G["commit-reveal on"] < G["commit-reveal off"], G
for k, a in att.items():
    share = a.stake_share_total.dropna().iloc[-1]
    assert 0.05 < share < 0.15, (k, share)  # 10 % of the validator stake, as configured
print("all assertions hold:", G)
"""),
    ]

    nb["scenario_attack_sybil"] = [
        md(r"""
# Scenario `attack-sybil`: one model under several miner identities

`scenarios/attack-sybil.cfg` (ATTACKS.md, mechanisms §6.1, §6.2 f, i): one operator serves the same
quality-0.3 model under 4 identities registered at block 1,200, each paying the registration burn.
This notebook compares 1 and 4 identities; both run in full (14,400 blocks, under a second each):

    tokensim run scenarios/attack-sybil.cfg --out out/attack-sybil.db
    tokensim run scenarios/attack-sybil.cfg --set attacks.sybil_identities=1 --out out/sybil-1.db

Asserted: `cost_burn` equals the ledger's registration burns paid by the sybil identities (to the
unit); four identities pay more than three times the burn of one (each registration raises the
burn, spec bittensor §3.10) and earn more than one (validators weight every copy by its quality).
"""),
        code(SETUP),
        code(attack_read.strip() + r"""


runs = {k: tokensim_run("attack-sybil.cfg", f"sybil-{k}", [f"attacks.sybil_identities={k}"]) for k in (1, 4)}
att = {k: attack(c, "sybil") for k, c in runs.items()}
final = pd.DataFrame({k: a[["emission", "cost_burn"]].ffill().iloc[-1] / UNIT for k, a in att.items()})
final
"""),
        code(r"""
fig, ax = plt.subplots(1, 2, figsize=(11, 3.8))
for k, a in att.items():
    ax[0].plot(a.index, a.emission / UNIT, label=f"{k} identities")
    ax[1].plot(a.index, a.cost_burn / UNIT, label=f"{k} identities")
ax[0].set(title="Cumulative sybil emission (alpha)", xlabel="block"); ax[0].legend()
ax[1].set(title="Registration burns paid (TAO)", xlabel="block"); ax[1].legend()
savefig(fig, "attack-sybil")
"""),
        code(r"""
for k, c in runs.items():
    paid = c.execute("SELECT coalesce(sum(amount), 0) FROM ledger WHERE kind = 'burn' AND reason = 'registration' "
                     "AND src IN (SELECT entity_id FROM entities WHERE name LIKE 'sybil-%')").fetchone()[0]
    assert int(att[k].cost_burn.iloc[-1]) == paid > 0, (k, paid)
    assert (att[k].active[att[k].index < 1200] == 0).all()
assert final[4].cost_burn > 3 * final[1].cost_burn
assert final[4].emission > final[1].emission
print("emission ratio 4 vs 1 identities:", final[4].emission / final[1].emission)
print("all assertions hold")
"""),
    ]

    nb["scenario_attack_whale"] = [
        md(r"""
# Scenario `attack-whale`: one delegation that decides the consensus

`scenarios/attack-whale.cfg` (ATTACKS.md): a whale with 60,000 alpha decides at block 3,600 to
delegate everything to validator 0; the move lands 300 blocks later. Runs in full (14,400
blocks, under a second):

    tokensim run scenarios/attack-whale.cfg --out out/attack-whale.db

Asserted: before the move the target holds a small share of the stake (8 validators of 5,000
alpha: about 1/8, less with the spread) and afterwards more than half; the honest share then falls
below kappa (0.5) at the first epoch after block 3,900 (`kappa_block`, epochs every tempo + 1 =
101 blocks at most); the whale's stake is the 60,000 alpha.
"""),
        code(SETUP),
        code(attack_read.strip() + r"""


LAND = 3600 + 300
con = tokensim_run("attack-whale.cfg", "attack-whale")
a = attack(con, "whale")
a.dropna(subset=["stake_share"])[["stake_share", "honest_share", "emission_share", "return_ratio"]]
"""),
        code(r"""
g = a.dropna(subset=["stake_share"])
fig, ax = plt.subplots(figsize=(7, 3.8))
for m in ["stake_share", "honest_share", "emission_share"]:
    ax.plot(g.index, g[m], marker=".", label=m)
ax.axvline(LAND, color="red", ls="--", lw=0.8, label="move lands")
ax.axhline(0.5, color="grey", lw=0.5)
ax.set(title="Target validator and honest shares", xlabel="block"); ax.legend()
savefig(fig, "attack-whale")
"""),
        code(r"""
kb = a.kappa_block.dropna().iloc[-1]
print("kappa_block", kb)
assert LAND < kb <= LAND + 101
assert (g.stake_share[g.index <= 3600] < 0.2).all() and (g.stake_share[g.index > 4800] > 0.5).all()
assert (g.honest_share[g.index > 4800] < 0.5).all()
assert int(a.stake.dropna().iloc[-1]) >= 60000 * UNIT
print("all assertions hold")
"""),
    ]

    # ------------------------------------------------------------------ bitgrit
    nb["scenario_bitgrit_competitions"] = [
        md(r"""
# Scenario `bitgrit-competitions`: staked competitions, forfeits and burns

`scenarios/bitgrit-competitions.cfg` (model `bitgrit`, scenarios/BITGRIT.md, spec mechanisms
§1.2): a year of weekly staked competitions with tiered forfeits, a job board that burns deposits
on hire, monthly community minting under the vesting budget and a Sybil farmer. Runs in full
(365 daily ticks, under a second):

    tokensim run scenarios/bitgrit-competitions.cfg --out out/bitgrit-competitions.db

Asserted, per competition: locked = returned + forfeited; forfeited = forfeits of tier 3 + tier 4
(the tiers that forfeit); forfeited = reserved + burned with the reserve share rho = 0.5 (within a
unit). Per month: net issuance = minted - burned and the supply (pre-minted 10^10 BGR) is the
maximum minus every burn so far. In the ledger: every stake locked is returned or forfeited.
"""),
        code(SETUP),
        code(r"""
con = tokensim_run("bitgrit-competitions.cfg", "bitgrit-competitions")
p = "bitgrit.comp."
comp = series(con, [p + m for m in ["number", "locked", "returned", "forfeited", "reserved", "burned", "forfeit_t3",
                                    "forfeit_t4", "entrants", "completed", "prize_paid"]]).dropna()
comp.columns = [c[len(p):] for c in comp.columns]
month = series(con, ["bitgrit." + m for m in ["month", "minted", "burned", "net_issuance", "supply_bgr", "reserve",
                                               "burned_forfeits", "burned_jobs", "gini"]]).dropna(subset=["bitgrit.month"])
month.columns = [c[len("bitgrit."):] for c in month.columns]
led = ledger(con)
comp.head()
"""),
        code(r"""
fig, ax = plt.subplots(1, 3, figsize=(15, 3.8))
x = comp.number
ax[0].bar(x, comp.returned / UNIT, label="returned")
ax[0].bar(x, comp.reserved / UNIT, bottom=comp.returned / UNIT, label="forfeit to reserve")
ax[0].bar(x, comp.burned / UNIT, bottom=(comp.returned + comp.reserved) / UNIT, label="forfeit burned")
ax[0].set(title="Stake locked per competition (BGR)", xlabel="competition"); ax[0].legend()
ax[1].bar(month.month - 0.2, month.minted / UNIT / 1e6, width=0.4, label="minted")
ax[1].bar(month.month + 0.2, month.burned / UNIT / 1e6, width=0.4, label="burned")
ax[1].set(title="Minted vs burned per month (M BGR)", xlabel="month"); ax[1].legend()
ax[2].plot(month.month, month.supply_bgr / 1e9)
ax[2].ticklabel_format(useOffset=False)
ax[2].set(title="Supply (billion BGR)", xlabel="month")
savefig(fig, "bitgrit-competitions")
"""),
        code(r"""
c = comp.astype("int64")
assert (c.locked == c.returned + c.forfeited).all()
assert (c.forfeited == c.forfeit_t3 + c.forfeit_t4).all()
assert (c.forfeited == c.reserved + c.burned).all()
assert ((c.reserved - c.forfeited / 2).abs() <= 1).all()  # rho = 0.5
m = month.astype({"minted": "int64", "burned": "int64", "net_issuance": "int64"})
assert (m.net_issuance == m.minted - m.burned).all()
supply = 10**10 - m.burned.cumsum() / UNIT
assert (month.supply_bgr - supply).abs().max() <= 1, (month.supply_bgr - supply).abs().max()
lock = led[led.reason == "stake_lock"].amount.sum()
back = led[led.reason.isin(["stake_return", "forfeit_burn", "forfeit_reserve"])].amount.sum()
assert lock == back, (lock, back)
assert led[led.reason == "forfeit_burn"].amount.sum() == c.burned.sum()
print(len(c), "competitions; forfeited", c.forfeited.sum() / UNIT, "BGR; all assertions hold")
"""),
    ]

    # ------------------------------------------------------------------ numerai
    nb["scenario_numerai_tournament"] = [
        md(r"""
# Scenario `numerai-tournament`: legacy continuous staking

`scenarios/numerai-tournament.cfg` (model `numerai`, BITGRIT.md, spec mechanisms §2.1, §2.7): 1,000
staked models, weekly rounds resolving four weeks later, payout
`stake x clip(pf x (0.5 CORR + 2 MMC), +-5 %)` with `pf = min(1, 72,000 / total at risk)`,
negative payouts burned. Runs in full (365 daily ticks, under a second):

    tokensim run scenarios/numerai-tournament.cfg --out out/numerai-tournament.db

Asserted per resolved round: `pf = min(1, 72000 / at_risk)`; net = paid - burned; the supply
falls by exactly the burn (payouts are transfers from the treasury) and the treasury by the
payouts; with ~770K NMR at risk the threshold binds (pf < 1). The ledger's burns and payouts sum
to the rounds' totals.
"""),
        code(SETUP),
        code(r"""
con = tokensim_run("numerai-tournament.cfg", "numerai-tournament")
p = "numerai."
r = series(con, [p + m for m in ["round", "pf", "at_risk", "paid", "burned", "net", "supply", "treasury", "clip_hit_rate"]])
r.columns = [c[len(p):] for c in r.columns]
r = r.dropna(subset=["round"])
led = ledger(con)
r.head()
"""),
        code(r"""
fig, ax = plt.subplots(1, 3, figsize=(15, 3.8))
ax[0].plot(r["round"], r.pf); ax[0].set(title="Payout factor pf", xlabel="round")
ax[1].bar(r["round"], r.paid / UNIT, label="paid"); ax[1].bar(r["round"], -r.burned / UNIT, label="burned")
ax[1].set(title="Payouts and burns per round (NMR)", xlabel="round"); ax[1].legend()
ax[2].plot(r["round"], r.supply / UNIT / 1e6); ax[2].set(title="NMR supply (M)", xlabel="round")
savefig(fig, "numerai-tournament")
"""),
        code(r"""
pf = np.minimum(1.0, 72000 * UNIT / r.at_risk)
assert np.allclose(r.pf, pf, rtol=1e-12), (r.pf - pf).abs().max()
assert (r.pf < 1).all()
i = r.astype({"paid": "int64", "burned": "int64", "net": "int64", "supply": "int64", "treasury": "int64"})
assert (i.net == i.paid - i.burned).all()
assert (i.supply.diff().iloc[1:] == -i.burned.iloc[1:]).all()
assert (i.treasury.diff().iloc[1:] == -i.paid.iloc[1:]).all()
assert led[led.kind == "burn"].amount.sum() == i.burned.sum()
assert led[led.reason == "numerai_payout"].amount.sum() == i.paid.sum()
print(len(r), "resolved rounds, mean pf", r.pf.mean(), "; all assertions hold")
"""),
    ]

    # ------------------------------------------------------------------ aigen
    nb["scenario_aigen_platform"] = [
        md(r"""
# Scenario `aigen-platform`: fee split, burns and the coalition

`scenarios/aigen-platform.cfg` (model `aigen`, scenarios/AIGEN.md, spec mechanisms §3): 500
consumers pay per call through 50 controllers; 24 validators (16 honest, 2 lazy, a coalition of 4
with 20 % of the stake, 2 copiers) score them; audits and coherence slashing are on.

**Shortened here:** 120 daily epochs instead of 365 (`time.blocks=120`). The full version:

    tokensim run scenarios/aigen-platform.cfg --out out/aigen-platform.db

Asserted per epoch: the spend splits exactly into platform (k_plat = 0.5), validators (k_val =
0.1), fee burn (k_burn = 0.05) and the developers' 0.35 (paid, or burned / kept as unearned);
burns per epoch are the fee burn plus the unearned burn; supply = genesis - cumulative burns
(nothing is minted after genesis).
"""),
        code(SETUP),
        code(r"""
con = tokensim_run("aigen-platform.cfg", "aigen-platform", ["time.blocks=120"])
a = series(con, ["spend", "platform_revenue", "dev_paid", "val_paid", "burn_fee", "burn_unearned", "unearned_treasury",
                 "burned", "supply", "kendall_tau", "coalition_payoff_share", "coalition_stake_share",
                 "reward_per_stake_honest", "reward_per_stake_lazy", "reward_per_stake_copier", "reward_per_stake_coalition"])
led = ledger(con)
a.tail(3)
"""),
        code(r"""
fig, ax = plt.subplots(1, 3, figsize=(15, 3.8))
parts = ["platform_revenue", "dev_paid", "val_paid", "burn_fee", "burn_unearned"]
ax[0].stackplot(a.index, *[a[p] / UNIT for p in parts], labels=parts)
ax[0].set(title="Spend per epoch by destination (tokens)", xlabel="epoch"); ax[0].legend(fontsize=7)
for k in ["honest", "lazy", "copier", "coalition"]:
    ax[1].plot(a.index, a["reward_per_stake_" + k], label=k)
ax[1].set(title="Validator reward per stake", xlabel="epoch"); ax[1].legend()
ax[2].plot(a.index, a.kendall_tau, label="Kendall tau (score vs quality)")
ax[2].plot(a.index, a.coalition_payoff_share, label="coalition payoff share")
ax[2].axhline(0.2, color="grey", lw=0.5); ax[2].set(xlabel="epoch"); ax[2].legend()
savefig(fig, "aigen-platform")
"""),
        code(r"""
i = a[["spend", "platform_revenue", "dev_paid", "val_paid", "burn_fee", "burn_unearned", "unearned_treasury",
       "burned", "supply"]].astype("int64")
assert (i.spend == i.platform_revenue + i.dev_paid + i.val_paid + i.burn_fee + i.burn_unearned + i.unearned_treasury).all()
for part, k in [("platform_revenue", 0.5), ("val_paid", 0.1), ("burn_fee", 0.05)]:
    assert ((i[part] - k * i.spend).abs() <= 1 + 1e-9 * i.spend).all(), part
dev = i.dev_paid + i.burn_unearned + i.unearned_treasury
assert ((dev - 0.35 * i.spend).abs() <= 2 + 1e-9 * i.spend).all()
assert (i.burned.diff().iloc[1:] == (i.burn_fee + i.burn_unearned).iloc[1:]).all()
genesis = led[(led.kind == "mint")].amount.sum()
assert (i.supply == genesis - i.burned).all()
assert led[led.kind == "burn"].amount.sum() == i.burned.iloc[-1]
print("all assertions hold; burned", i.burned.iloc[-1] / UNIT, "tokens over", len(i), "epochs")
"""),
    ]

    # ------------------------------------------------------------------ cflow
    nb["scenario_bitmodel_cflow"] = [
        md(r"""
# Scenario `bitmodel-cflow`: royalties through the model graph

`scenarios/bitmodel-cflow.cfg` (model `cflow`, scenarios/CFLOW.md, spec mechanisms §4): revenue of
applications flows back through foundation models, fine-tunes, datasets and contributors (LRP);
a shell-node dilution attack on day 180 and a fork on day 240. Runs in full (365 days, under a
second):

    tokensim run scenarios/bitmodel-cflow.cfg --out out/bitmodel-cflow.db

Asserted: every unit of revenue is paid out (ledger: revenue minted = royalty income
transferred, = `revenue_total`); the revenue shares by graph depth and by node type each sum to 1;
the node incomes add up to the revenue; both attacks take income away from their target
(`*_root_change` < 0) and gain the attacker something (`*_attacker_gain` > 0).
"""),
        code(SETUP),
        code(r"""
con = tokensim_run("bitmodel-cflow.cfg", "bitmodel-cflow")
c = series(con, ["nodes", "apps", "links", "revenue", "revenue_total", "income_gini", "dilution_root_change",
                 "dilution_attacker_gain", "fork_root_change", "fork_attacker_gain"]
           + [f"share_depth_{d}" for d in range(8)] + ["share_depth_8plus"]
           + ["share_" + t for t in ["foundation", "finetune", "app", "dataset", "contributor"]])
income = pd.read_sql_query("SELECT e.role, s.entity_id, s.value FROM series s JOIN entities e USING (run_id, entity_id) "
                           "WHERE s.metric = 'income' AND s.block = (SELECT max(block) FROM series)", con)
led = ledger(con)
c.tail(3)
"""),
        code(r"""
fig, ax = plt.subplots(1, 3, figsize=(15, 3.8))
depth = [f"share_depth_{d}" for d in range(8)] + ["share_depth_8plus"]
last = c[depth].iloc[-1]
ax[0].bar(range(len(depth)), last.values); ax[0].set_xticks(range(len(depth)), [str(d) for d in range(8)] + ["8+"])
ax[0].set(title="Revenue share by graph depth (cumulative)", xlabel="depth from the paying app")
types = ["foundation", "finetune", "app", "dataset", "contributor"]
ax[1].stackplot(c.index, *[c["share_" + t] for t in types], labels=types)
ax[1].set(title="Revenue share by node type", xlabel="day"); ax[1].legend(fontsize=7)
ax[2].plot(c.index, c.nodes, label="nodes"); ax[2].plot(c.index, c.links, label="links")
for d, t in [(180, "dilution"), (240, "fork")]:
    ax[2].axvline(d, color="red", ls="--", lw=0.8)
ax[2].set(title="Graph size; dashed: attacks", xlabel="day"); ax[2].legend()
savefig(fig, "bitmodel-cflow")
"""),
        code(r"""
minted = led[(led.kind == "mint") & (led.reason == "revenue")].amount.sum()
paid = led[led.reason == "royalty_income"].amount.sum()
assert minted == paid == int(c.revenue_total.iloc[-1]), (minted, paid, c.revenue_total.iloc[-1])
assert int(c.revenue.sum()) == minted
assert np.allclose(c[depth].sum(axis=1), 1) and np.allclose(c[["share_" + t for t in types]].sum(axis=1), 1)
assert int(income.value.sum()) == minted
last = c.ffill().iloc[-1]
assert last.dilution_root_change < 0 < last.dilution_attacker_gain
assert last.fork_root_change < 0 < last.fork_attacker_gain
print(income.groupby("role").value.sum() / minted)
print("all assertions hold")
"""),
    ]

    # ------------------------------------------------------------------ Yuma3 switching
    nb["repro_yuma3_switching"] = [
        md(r"""
# Reproduction: Yuma3 bonds and dividends when weights switch

Spec `bittensor.md` §2.13 (Yuma3: bonds are an EMA of each validator's weights, stored as absolute
proportions; dividends are `sum_j EMA_norm_ij x I_j` times stake, normalised) and the yuma-trace/1
format (`conformance/FORMAT.md`). `tokensim epoch --trace FILE` replays a trace through the reward
core and prints one JSON object per epoch.

1. The two public Yuma3 traces (`../shared/conformance/traces/yuma3_*.json`): replay them, check
   every expectation (with the trace's tolerance), plot bonds and dividends as the weights switch.
2. Generated switching cases (3 validators, 2 servers, fixed bond alpha 0.025, kappa 0.5), written
   as traces by this notebook: the big validator (80 % stake) switches first; the small ones (20 %)
   switch first; everyone switches at once.

Asserted: every trace expectation holds; after a switch the switching validator's bond to the new
server rises and to the old one falls, epoch by epoch; the incentive follows the stake majority
(it moves only when stake above kappa has switched); the first movers into the new consensus earn
more than their stake share of dividends and the late movers less; when everyone switches
together, dividends stay proportional to stake. Runs in a few seconds:

    build/sim/cli/tokensim epoch --trace ../shared/conformance/traces/yuma3_kappa_moves_first.json
"""),
        code(SETUP),
        code(r"""
import json
SHARED = os.path.abspath(os.environ.get("TOKENSIM_SHARED_DIR", os.path.join(SRC, "..", "shared")))


def replay(path):
    # Runs tokensim epoch --trace PATH; returns the trace and its epoch outputs (one dict per epoch step).
    r = subprocess.run([TOKENSIM, "epoch", "--trace", path], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"tokensim epoch --trace {path} exited {r.returncode}: {r.stderr.strip()}")
    return json.load(open(path)), [json.loads(l) for l in r.stdout.splitlines() if l.strip()]


def bond(out, row, col):
    return dict((c, v) for c, v in out["bonds"][row]).get(col, 0)


def check_expectations(trace, outs):
    # The FORMAT.md §1.7 comparison: every vector entry and bonds cell, within the tolerance.
    steps = [s for s in trace["steps"] if s["epoch"]]
    assert len(steps) == len(outs), (len(steps), len(outs))
    n = 0
    for s, o in zip(steps, outs):
        e = dict(s.get("expect", {}))
        tol = e.pop("tolerance", {})
        for key, want in e.items():
            t = tol.get(key, 0)
            if key == "bonds":
                for row, col, v in want:
                    assert abs(bond(o, row, col) - v) <= t, (trace["name"], o["step"], row, col, bond(o, row, col), v)
                    n += 1
            else:
                for i, v in enumerate(want):
                    if v is not None:
                        assert abs(o[key][i] - v) <= t, (trace["name"], o["step"], key, i, o[key][i], v)
                        n += 1
    return n


public = {}
for name in ["yuma3_kappa_moves_first", "yuma3_liquid_alpha_disabled"]:
    trace, outs = replay(os.path.join(SHARED, "conformance", "traces", name + ".json"))
    public[name] = (trace, outs)
    print(f"{name}: {len(outs)} epochs, {check_expectations(trace, outs)} expectations hold")
"""),
        code(r"""
def weights_by_epoch(trace):
    # The weight each validator gives server 4 (of servers 3 and 4) before each epoch step.
    w, rows = {}, []
    for s in trace["steps"]:
        for op in s["ops"]:
            if op["op"] == "set_weights":
                d = dict(op["weights"])
                tot = sum(d.values())
                w[op["uid"]] = d.get(4, 0) / tot if tot else 0.0
        if s["epoch"]:
            rows.append(dict(w))
    return pd.DataFrame(rows)


def plot_case(title, trace, outs, validators=(0, 1, 2), fname=None, skip=0):
    # skip: leading epoch steps not in outs (the permit epoch of the generated cases).
    stake = np.array(trace["initial"]["stake"], dtype=float)
    w = weights_by_epoch(trace).iloc[skip:].reset_index(drop=True)
    fig, ax = plt.subplots(1, 4, figsize=(17, 3.4))
    for v in validators:
        ax[0].plot(w.index, w.get(v, pd.Series(0, index=w.index)), marker=".", label=f"v{v} ({stake[v] / stake.sum():.0%})")
        ax[1].plot([bond(o, v, 3) / 65535 for o in outs], marker=".", label=f"v{v} -> s3")
        ax[1].plot([bond(o, v, 4) / 65535 for o in outs], marker="x", ls="--", label=f"v{v} -> s4")
        ax[2].plot([o["dividends"][v] / 65535 for o in outs], marker=".", label=f"v{v}")
    ax[3].plot([o["incentive"][3] / 65535 for o in outs], marker=".", label="server 3")
    ax[3].plot([o["incentive"][4] / 65535 for o in outs], marker=".", label="server 4")
    for a, t in zip(ax, ["weight on server 4", "bonds (proportion)", "dividends", "incentive"]):
        a.set(title=t, xlabel="epoch"); a.legend(fontsize=7)
    fig.suptitle(title)
    savefig(fig, fname or title.split(":")[0])


for name, (trace, outs) in public.items():
    plot_case(f"{name}: {trace['description'][:90]}", trace, outs, fname=name)
"""),
        code(r"""
# Generated cases: uids 0-2 validators (stake 8, 1, 1 or as given), uids 3-4 servers. Weights name
# both servers (the unused one with 0) so that the unused bond decays instead of being dropped.
PARAMS = dict(public["yuma3_liquid_alpha_disabled"][0]["params"], liquid_alpha=False, kappa=32767)


def switching_trace(name, stake, switch_at, epochs=12):
    # switch_at[v]: the first epoch at which validator v weights server 4 instead of server 3.
    steps = [{"block": 2, "ops": [], "epoch": True, "note": "permit epoch"}]
    for e in range(epochs):
        ops = [{"op": "set_weights", "uid": v,
                "weights": [[3, 0], [4, 65535]] if e >= switch_at[v] else [[3, 65535], [4, 0]]}
               for v in range(3)]
        steps.append({"block": 2 + e, "ops": ops, "epoch": False})
        steps.append({"block": 3 + e, "ops": [], "epoch": True})
    trace = {"format": "yuma-trace/1", "name": name, "source": "generated by notebooks/repro_yuma3_switching",
             "params": PARAMS, "initial": {"block": 1, "stake": list(stake) + [0, 0],
                                            "registration_block": [1] * 5, "last_mechanism_step_block": 0},
             "steps": steps}
    path = os.path.join(OUT, name + ".json")
    json.dump(trace, open(path, "w"))
    trace, outs = replay(path)
    return trace, outs[1:]  # drop the permit epoch: outs[e] is epoch e


cases = {
    "big_moves_first": ([8, 1, 1], [3, 6, 6]),
    "small_move_first": ([8, 1, 1], [6, 3, 3]),
    "all_at_once": ([5, 3, 2], [4, 4, 4]),
}
gen = {}
for name, (stake, sw) in cases.items():
    gen[name] = (stake, sw) + switching_trace(name, stake, sw)
    plot_case(f"{name}: stakes {stake}, switch epochs {sw}", gen[name][2], gen[name][3], fname=name, skip=1)
"""),
        code(r"""
def dividend_share(o, v, stake):
    d = np.array(o["dividends"][:3], dtype=float)
    return d[v] / d.sum()


for name, (stake, sw, trace, outs) in gen.items():
    share = np.array(stake, dtype=float) / sum(stake)
    majority_epoch = min(e for e in range(len(outs)) if share[[v for v in range(3) if sw[v] <= e]].sum() > 0.5)
    for e, o in enumerate(outs):
        # The incentive follows the stake majority: server 3 until stake above kappa has switched.
        assert o["incentive"][3 if e < majority_epoch else 4] == 65535, (name, e, o["incentive"])
    for v in range(3):
        b3 = [bond(o, v, 3) for o in outs[sw[v]:]]
        b4 = [bond(o, v, 4) for o in outs[sw[v]:]]
        # After its switch, a validator's bond to the new server rises and to the old one falls.
        assert all(x < y for x, y in zip(b4, b4[1:])), (name, v, b4)
        assert all(x >= y for x, y in zip(b3, b3[1:])) and b3[-1] < b3[0], (name, v, b3)
    # Dividends at the epoch where the consensus moves, and a few epochs later.
    first = [v for v in range(3) if sw[v] == min(sw)]
    late = [v for v in range(3) if sw[v] > min(sw)]
    o = outs[majority_epoch]
    if late:
        # First movers into the new consensus earn more than their stake share, late movers less.
        assert sum(dividend_share(o, v, stake) for v in first) > share[first].sum(), (name, o["dividends"])
        assert sum(dividend_share(o, v, stake) for v in late) < share[late].sum(), (name, o["dividends"])
    else:
        # Everyone together: the EMA rows are identical, so dividends stay proportional to stake.
        for e in range(len(outs)):
            got = np.array(outs[e]["dividends"][:3]) / 65535
            assert np.abs(got - share).max() < 2e-3, (name, e, got, share)
    print(f"{name}: consensus moves at epoch {majority_epoch}; dividends then {o['dividends'][:3]} (stake {stake})")
print("all assertions hold")
"""),
    ]

    # ------------------------------------------------------------------ supply curves
    nb["repro_supply_curves"] = [
        md(r"""
# Reproduction: Bitcoin and Bittensor supply curves

Two halving schedules with the same 21M cap (spec `bittensor.md` §3.1, `mechanisms.md` §5.1):

* **Bitcoin**: 50 BTC per 10-minute block, halving every 210,000 blocks (height-based):
  `subsidy = (50 COIN) >> (height / 210000)`, zero from 64 halvings on.
* **Bittensor**: 1 TAO per 12-second block, halving when the total issuance reaches
  `21M (1 - 2^-k)` (issuance-based): recycled or burned TAO delays the halvings.

The notebook computes both curves independently in Python (integer arithmetic, per halving
segment) at their real scale, plots them against calendar years, and then checks them against
`tokensim run` (model `token`) on scaled-down versions that run in a second: the Bitcoin schedule
with a 2,100-block interval (1/100 of Bitcoin's) over 40 intervals, and the issuance schedule with a 42,000-token cap. Full-scale runs (minutes):

    tokensim run scenarios/default.cfg --set emission.schedule=bitcoin --set emission.halving_interval=210000 \
        --set emission.initial_reward=50 --set time.blocks=7000000 --set record.every=10000
    tokensim run scenarios/default.cfg --set time.blocks=60000000 --set record.every=100000

Asserted: tokensim's supply equals the Python schedule to the unit at every sample for both
schedules; both curves approach but never exceed the cap; Bitcoin's supply after k intervals is
the closed-form sum of its segments, within 50 BTC of `21M (1 - 2^-k)`, and ends at the known
20,999,999.9769 BTC (with the genesis coinbase).
"""),
        code(SETUP),
        code(ISSUANCE_TWIN.strip() + "\n\n\n" + BITCOIN_TWIN.strip() + r"""


# Full scale, in Python only.
SAT = 10**8
btc_blocks = 64 * 210_000
btc = bitcoin_schedule(0, 50 * SAT, 210_000, btc_blocks)  # heights 1.. (the genesis coinbase is unspendable)
tao_blocks = 60_000_000
tao, tao_halvings = issuance_schedule(0, UNIT, 21_000_000 * UNIT, tao_blocks)
years_btc = np.arange(btc_blocks + 1) * 600 / (365.25 * 86400)
years_tao = np.arange(tao_blocks + 1) * 12 / (365.25 * 86400)
print("Bitcoin final supply", btc[-1] / SAT, "BTC; Bittensor after", tao_blocks, "blocks", tao[-1] / UNIT, "TAO")
print("first Bittensor halvings (block, reward):", tao_halvings[:4])
"""),
        code(r"""
fig, ax = plt.subplots(1, 2, figsize=(13, 4))
step = 1000
ax[0].plot(years_btc[::step], btc[::step] / SAT / 1e6, label="Bitcoin (210,000-block halvings)")
ax[0].plot(years_tao[::step], tao[::step] / UNIT / 1e6, label="Bittensor (issuance-based halvings)")
ax[0].axhline(21, color="grey", lw=0.5)
ax[0].set(title="Supply, no recycling (M coins)", xlabel="years from genesis", xlim=(0, 40)); ax[0].legend()
ax[1].step([0] + [b * 600 / (365.25 * 86400) for b in range(210_000, 11 * 210_000, 210_000)],
           [50 / 2**k for k in range(11)], where="post", label="Bitcoin: BTC per 10 min")
ax[1].step([0] + [b * 12 / (365.25 * 86400) for b, _ in tao_halvings[:10]],
           [50 * 1.0] + [50 * r / UNIT for _, r in tao_halvings[:10]], where="post", label="Bittensor: TAO per 10 min")
ax[1].set(title="Issuance rate per 10 minutes", xlabel="years from genesis", yscale="log", xlim=(0, 40)); ax[1].legend()
savefig(fig, "supply-curves")
"""),
        code(r"""
# tokensim on the scaled schedules (one staker with a minimal stake: it is genesis issuance).
H = 2100
con_b = tokensim_run("default.cfg", "bitcoin-scaled",
                     ["emission.schedule=bitcoin", f"emission.halving_interval={H}", "emission.initial_reward=50",
                      f"time.blocks={40 * H}", "record.every=700", "stakers.count=1", "stakers.initial_stake=1",
                      "stakers.unstake_probability=0"])
con_i = tokensim_run("default.cfg", "issuance-scaled",
                     ["emission.total_supply=42000", "time.blocks=200000", "record.every=1000", "stakers.count=1",
                      "stakers.initial_stake=1", "stakers.unstake_probability=0"])
sb, si = series(con_b, "supply").supply.astype("int64"), series(con_i, "supply").supply.astype("int64")
gb = int(sb.iloc[0]); gi = int(si.iloc[0])
twin_b = bitcoin_schedule(gb, 50 * UNIT, H, 40 * H)
twin_i, halv_i = issuance_schedule(gi, UNIT, 42000 * UNIT, 200000)
fig, ax = plt.subplots(1, 2, figsize=(12, 3.6))
ax[0].plot(sb.index, sb / UNIT, label="tokensim"); ax[0].plot(sb.index, twin_b[sb.index] / UNIT, ls="--", label="Python")
ax[0].set(title=f"Bitcoin schedule, interval {H}", xlabel="block"); ax[0].legend()
ax[1].plot(si.index, si / UNIT, label="tokensim"); ax[1].plot(si.index, twin_i[si.index] / UNIT, ls="--", label="Python")
ax[1].set(title="Issuance schedule, cap 42,000", xlabel="block"); ax[1].legend()
savefig(fig, "supply-scaled")
"""),
        code(r"""
assert (sb.values == twin_b[sb.index.values]).all(), "bitcoin schedule differs"
assert (si.values == twin_i[si.index.values]).all(), "issuance schedule differs"
hal = series(con_i, "halving").dropna()
assert [(int(b), int(v)) for b, v in hal.halving.items()] == [h for h in halv_i if h[0] <= 200000]
cap_b = gb + 2 * 50 * UNIT * H
assert sb.iloc[-1] < cap_b and si.iloc[-1] < 42000 * UNIT
# Bitcoin: after k full intervals (heights 1..kH) the supply is 21M (1 - 2^-k) up to the truncation.
# Heights 1..kH: H - 1 blocks at 50 BTC, H at each later reward, and height kH at the k-th halved one.
for k in (1, 2, 5, 10, 33):
    closed = sum(210_000 * (50 * SAT >> j) for j in range(k)) - 50 * SAT + (50 * SAT >> k)
    assert btc[k * 210_000] == closed, (k, btc[k * 210_000], closed)
    assert abs(btc[k * 210_000] - 21_000_000 * SAT * (1 - 2.0**-k)) <= 50 * SAT + k * 210_000
# Bitcoin's famous 20,999,999.9769 BTC counts the unspendable genesis 50 BTC, excluded here.
assert btc[-1] + 50 * SAT == 2_099_999_997_690_000, btc[-1]
assert tao[-1] < 21_000_000 * UNIT
print("Bitcoin supply", btc[-1], "sat (cap 21e14);", len(tao_halvings), "Bittensor halvings in", tao_blocks, "blocks")
print("all assertions hold")
"""),
    ]
    return nb
