# connect() latency CDF, one step curve per variant (socksim report).
# datafile: one block per variant, first line its title; rows: latency_ns fraction_connected
# nblocks: number of blocks; xmin_ns, xmax_ns: the smallest and largest latency
load gpdir.'/common.gp'
set key autotitle columnheader
set logscale x 10
set format x '%g'
set xlabel 'connect() latency (s, log scale)'
set ylabel 'fraction of runs connected'
set yrange [0:1.05]
set xrange [xmin_ns / 1.5e9 : xmax_ns * 1.5 / 1e9]
plot for [i=0:nblocks-1] datafile index i using ($1/1e9):2 with steps lw 2 title columnheader(1)
