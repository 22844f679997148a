# A sampled quantity per connection over time: throughput, cwnd, RTO, vsock credit, ring occupancy
# (socksim report).
# datafile: one block per connection and field, first line its title; rows: t_ns value
# nblocks, yscale (plotted value = value / yscale), ylabel; t0s, t1s, tlog, xticks: the time axis
# dashed (optional): blocks come in pairs, the second of each dashed in the first one's colour
load gpdir.'/common.gp'
set key autotitle columnheader
set xlabel 'time since the start of the run (s)' . (tlog > 0 ? ', log scale' : '')
set ylabel ylabel
# The time axis spans the data; quantities start at zero, so the y axis does
# too (unless one goes negative, as vsock peer_free can); a constant series
# still gets a non-empty range.
set xrange [t0s:t1s]
stats datafile using 2 nooutput
ylo = STATS_min < 0 ? STATS_min / yscale : 0
if (STATS_max / yscale > ylo) { set yrange [ylo:*] } else { set yrange [ylo:ylo + 1] }
if (!exists('dashed')) dashed = 0
if (dashed) {
    plot for [i=0:nblocks-1:2] datafile index i using ($1/1e9):($2/yscale) with steps lw 2 lc i / 2 + 1 \
             title columnheader(1), \
         for [i=1:nblocks-1:2] datafile index i using ($1/1e9):($2/yscale) with steps lw 1.5 dt 2 lc i / 2 + 1 \
             title columnheader(1)
} else {
    plot for [i=0:nblocks-1] datafile index i using ($1/1e9):($2/yscale) with steps lw 2 title columnheader(1)
}
