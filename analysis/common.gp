# Shared by every socksim report chart.  socksim sets on the command line:
#   fmt ('png' or 'svg'), outfile, datafile, charttitle, subtitle (scenario,
#   parameters and seed(s) drawn), gpdir (this directory)
# Data files hold integer nanoseconds; scripts divide by 1e9 for seconds.
if (fmt eq 'svg') {
    set terminal svg size 960,600 dynamic noenhanced font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 960,600 noenhanced font 'Sans,11' background rgb 'white'
}
set output outfile
# The title, and under it what the chart shows: scenario, parameters, seed(s).
set label 101 charttitle at screen 0.5, screen 0.965 center font ',14'
set label 100 subtitle at screen 0.5, screen 0.925 center font ',10' tc rgb '#444444'
set tmargin 5
set grid xtics ytics lc rgb '#dddddd' lt 1
set format x '%g'
set key outside right top box opaque spacing 1.2
set linetype 1 lc rgb '#1f77b4'
set linetype 2 lc rgb '#ff7f0e'
set linetype 3 lc rgb '#2ca02c'
set linetype 4 lc rgb '#d62728'
set linetype 5 lc rgb '#9467bd'
set linetype 6 lc rgb '#8c564b'
set linetype 7 lc rgb '#e377c2'
set linetype 8 lc rgb '#7f7f7f'
set linetype cycle 8
# A time axis (set by socksim for timelines): t0s..t1s in seconds; tlog > 0:
# a log scale of (t - t0s + tlog), ticks xticks ('"label" value, ...').
if (exists('tlog') && tlog > 0) {
    set nonlinear x via log10(x - t0s + tlog) inverse 10**x + t0s - tlog
    eval('set xtics (' . xticks . ')')
}
