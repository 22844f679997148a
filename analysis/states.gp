# sk_state of every socket over time: one band per socket and state (socksim report).
# datafile: one block per state, first line its name; rows: t0_ns t1_ns row "socket label"
# nblocks, nrows, tend (end of the run, ns)
load gpdir.'/common.gp'
set key autotitle columnheader
set xlabel 'time since the start of the run (s)'
set ylabel 'socket'
set yrange [0.4:nrows + 0.6]
set xrange [0:*]
set style fill solid 0.85 border lc rgb '#333333'
# A band at least 0.4 % of the axis wide, so that short states stay visible.
minw = tend * 0.002 / 1e9
halfw(a, b) = ((b - a) / 2e9 > minw) ? (b - a) / 2e9 : minw
plot for [i=0:nblocks-1] datafile index i using (($1+$2)/2e9):3:(halfw($1, $2)):(0.3):ytic(4) \
     with boxxyerror lc i+1 title columnheader(1)
