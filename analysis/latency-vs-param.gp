# connect() latency against a swept parameter: median line and median-to-p99 band per
# series, and the closed-form expectation when socksim wrote one (socksim report).
# datafile: one block per series, first line its title; rows: x median_ns p99_ns connected_runs
# cfdata: '' or a file with a title line and rows: x median_ns p99_ns
# nblocks, xlabel; ymin_ns, ymax_ns: the smallest median and the largest p99
load gpdir.'/common.gp'
set key autotitle columnheader
set xlabel xlabel
set ylabel 'connect() latency (s, log scale)'
set logscale y 10
set format y '%g'
if (ymin_ns == ymax_ns) set yrange [ymin_ns / 2e9 : ymax_ns * 2 / 1e9]
# the x axis spans the swept values (not the next tics), with a 2 % margin
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set style fill transparent solid 0.18 noborder
cf = (cfdata eq '') ? '' : \
     sprintf(", '%s' using 1:($2/1e9) with lines dt 2 lw 2 lc rgb 'black' title 'closed form: median', "\
             . "'%s' using 1:($3/1e9) with lines dt 3 lw 2 lc rgb 'black' title 'closed form: p99'", cfdata, cfdata)
eval("plot for [i=0:nblocks-1] datafile index i using 1:($2/1e9):($3/1e9) with filledcurves lc i+1 "\
     . "title (i == 0 ? 'shaded: median to p99' : ''), "\
     . "for [i=0:nblocks-1] datafile index i using 1:($2/1e9) with linespoints lw 2 pt 7 lc i+1 "\
     . "title columnheader(1)" . cf)
