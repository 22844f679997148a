# sk_state of every socket over time: one band per socket and state (socksim report).
# datafile: one block per state, first line its name; rows: t0_ns t1_ns row "socket label"
# nblocks, nrows; colours: one colour per block (fixed per state);
# t0s, t1s, tlog, xticks: the time axis (common.gp)
load gpdir.'/common.gp'
set key autotitle columnheader
set xlabel 'time since the start of the run (s)' . (tlog > 0 ? ', log scale' : '')
set ylabel 'socket'
set yrange [0.4:nrows + 0.6]
set xrange [t0s:t1s]
set style fill solid 0.85 border lc rgb '#333333'
# A band at least 0.4 % of the axis wide, so that short states stay visible
# (on a log axis: of the axis's decades, around the band's middle).
if (tlog > 0) {
    lg(t) = log10(t - t0s + tlog)
    span = lg(t1s) - lg(t0s)
    lo(a, b) = (lg(b / 1e9) - lg(a / 1e9) > span * 0.004) ? a / 1e9 : 10**((lg(a / 1e9) + lg(b / 1e9)) / 2 - span * 0.002) + t0s - tlog
    hi(a, b) = (lg(b / 1e9) - lg(a / 1e9) > span * 0.004) ? b / 1e9 : 10**((lg(a / 1e9) + lg(b / 1e9)) / 2 + span * 0.002) + t0s - tlog
} else {
    minw = (t1s - t0s) * 0.002
    lo(a, b) = ((b - a) / 2e9 > minw) ? a / 1e9 : (a + b) / 2e9 - minw
    hi(a, b) = ((b - a) / 2e9 > minw) ? b / 1e9 : (a + b) / 2e9 + minw
}
plot for [i=0:nblocks-1] datafile index i using (lo($1, $2)):3:(lo($1, $2)):(hi($1, $2)):($3 - 0.3):($3 + 0.3):ytic(4) \
     with boxxyerror lc rgb word(colours, i + 1) title columnheader(1)
