# Shared by every socksim report chart.  socksim sets on the command line:
#   fmt ('png' or 'svg'), outfile, datafile, charttitle, gpdir (this directory)
# Data files hold integer nanoseconds; scripts divide by 1e9 for seconds.
if (fmt eq 'svg') {
    set terminal svg size 960,600 dynamic noenhanced font 'Sans,12' background rgb 'white'
} else {
    set terminal pngcairo size 960,600 noenhanced font 'Sans,11' background rgb 'white'
}
set output outfile
set title charttitle font ',14'
set grid xtics ytics lc rgb '#dddddd' lt 1
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
