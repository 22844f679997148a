# Throughput against a swept parameter: median line and 10th-90th percentile band per
# series (socksim report; the summary's throughput_bps).
# datafile: one block per series, first line its title; rows: x median_bps p10_bps p90_bps runs
# nblocks, xlabel
load gpdir.'/common.gp'
set key autotitle columnheader
set xlabel xlabel
set ylabel 'throughput (Mbit/s)'
set yrange [0:*]
# the x axis spans the swept values (not the next tics), with a 2 % margin
set autoscale xfix
set offsets graph 0.02, graph 0.02, graph 0.05, 0
set style fill transparent solid 0.18 noborder
plot for [i=0:nblocks-1] datafile index i using 1:($3/1e6):($4/1e6) with filledcurves lc i+1 \
         title (i == 0 ? 'shaded: p10 to p90' : ''), \
     for [i=0:nblocks-1] datafile index i using 1:($2/1e6) with linespoints lw 2 pt 7 lc i+1 \
         title columnheader(1)
