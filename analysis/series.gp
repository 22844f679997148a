# A sampled quantity per connection over time: throughput, cwnd, RTO, vsock credit (socksim report).
# datafile: one block per connection and field, first line its title; rows: t_ns value
# nblocks, yscale (plotted value = value / yscale), ylabel
load gpdir.'/common.gp'
set key autotitle columnheader
set xlabel 'time since the start of the run (s)'
set ylabel ylabel
# Quantities start at zero, so the axis does too (unless one goes negative,
# as vsock peer_free can); a constant series still gets a non-empty range.
stats datafile using 2 nooutput
ylo = STATS_min < 0 ? STATS_min / yscale : 0
if (STATS_max / yscale > ylo) { set yrange [ylo:*] } else { set yrange [ylo:ylo + 1] }
plot for [i=0:nblocks-1] datafile index i using ($1/1e9):($2/yscale) with steps lw 2 title columnheader(1)
