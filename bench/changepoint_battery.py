"""A battery of seeded metric shapes not used to set anything (other sizes, noises and
combinations than `bench/changepoint_shapes.py`), to compare two builds of `shiftwatch.detect`:

    python bench/changepoint_battery.py --out before.json      # with the old build installed
    python bench/changepoint_battery.py --against before.json  # with the new one

30 series per shape (numpy default_rng(4242 + shape index)); a detected change point is a true
positive within 5 points of an unmatched true one. Prints precision, recall and false change
points per series, and with `--against` the old numbers and which shapes changed. ("leak only
from 600" has no step; its slope change at 600 is a trend change the default may report.)
"""

import argparse
import json

import numpy as np
import shiftwatch


def ar1(r, n, phi):
    z = r.standard_normal(n)*np.sqrt(1-phi*phi); e=np.empty(n); e[0]=r.standard_normal()
    for i in range(1,n): e[i]=phi*e[i-1]+z[i]
    return e
def matches(truth, found, m=5):
    used=set(); tp=0
    for tau in truth:
        c=[x for x in found if abs(x-tau)<=m and x not in used]
        if c: used.add(min(c,key=lambda x:abs(x-tau))); tp+=1
    return tp
def T(n): return np.arange(n)
cases = {
 "step AR.6 +2 n=800": (lambda r: ar1(r,800,.6)+2*(T(800)>=300), [300]),
 "step AR.9 +4 n=3000": (lambda r: ar1(r,3000,.9)+4*(T(3000)>=2000), [2000]),
 "two steps iid n=600": (lambda r: r.standard_normal(600)+1.5*(T(600)>=200)-1.5*(T(600)>=450), [200,450]),
 "leak after step n=1500": (lambda r: r.standard_normal(1500)+(T(1500)>=700)*(2+0.004*(T(1500)-700)), [700]),
 "leak only from 600 n=1500": (lambda r: r.standard_normal(1500)+(T(1500)>=600)*(0.006*(T(1500)-600)), []),
 "diurnal P=144 + step n=2000": (lambda r: 2*np.sin(2*np.pi*T(2000)/144)+r.standard_normal(2000)+2*(T(2000)>=1100), [1100]),
 "diurnal P=96 no step n=1500": (lambda r: 1.5*np.sin(2*np.pi*T(1500)/96)+r.standard_normal(1500), []),
 "sawtooth P=60 amp 2.5 + step": (lambda r: 2.5*(T(1500)%60)/60+r.standard_normal(1500)+2*(T(1500)>=800), [800]),
 "spikes 2% + two steps": (lambda r: r.standard_normal(1200)+9*(r.uniform(size=1200)<0.02)+2*(T(1200)>=400)+2*(T(1200)>=800), [400,800]),
 "rw 0.15 + step 4 n=1200": (lambda r: np.cumsum(0.15*r.standard_normal(1200))+r.standard_normal(1200)+4*(T(1200)>=600), [600]),
 "rw 0.1 no step n=3000": (lambda r: np.cumsum(0.1*r.standard_normal(3000))+r.standard_normal(3000), []),
 "t3 + step 2 n=1000": (lambda r: r.standard_t(3,1000)+2*(T(1000)>=500), [500]),
 "lognormal x3 n=1000": (lambda r: np.exp(r.standard_normal(1000))*(1+2*(T(1000)>=500)), [500]),
 "poisson 5->8 n=1000": (lambda r: r.poisson(np.where(T(1000)>=400,8,5)).astype(float), [400]),
 "iid no change n=5000": (lambda r: r.standard_normal(5000), []),
 "AR.95 no change n=3000": (lambda r: ar1(r,3000,.95), []),
 "trend up n=2000": (lambda r: 0.003*T(2000)+r.standard_normal(2000), []),
 "step + trend after (slow) n=2000": (lambda r: r.standard_normal(2000)+(T(2000)>=1000)*(1.5+0.001*(T(2000)-1000)), [1000]),
}


def run():
    out = {}
    for k, (name, (make, truth)) in enumerate(cases.items()):
        r = np.random.default_rng(4242 + k)
        tp = det = 0
        for _ in range(30):
            f = list(shiftwatch.detect(make(r)).indices)
            tp += matches(truth, f)
            det += len(f)
        out[name] = (tp, det, 30 * len(truth))
    return out


def show(tp, det, n):
    prec = f"P {tp / det:.2f}" if det else "P -"
    rec = f"R {tp / n:.2f}" if n else "R -"
    return f"{prec} {rec} F/s {(det - tp) / 30:.2f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--against")
    args = ap.parse_args()
    now = run()
    if args.out:
        json.dump(now, open(args.out, "w"))
    before = json.load(open(args.against)) if args.against else {}
    for name, v in now.items():
        line = f"{name:34s} {show(*v):28s}"
        if name in before:
            b = tuple(before[name])
            line += f" before {show(*b):28s}" + ("" if b == tuple(v) else "  <- changed")
        print(line)


if __name__ == "__main__":
    main()
