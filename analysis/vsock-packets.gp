# vsock packets over time, one lane per op, by direction (socksim report).
# datafile: one block per kind, first line its title; rows: t_ns lane dir
# kinds: which blocks are there (0 guest to host, 1 host to guest, 2 never received)
# nblocks; t0s, t1s, tlog, xticks: the time axis (common.gp)
load gpdir.'/common.gp'
set key autotitle columnheader
set xlabel 'time the packet was built (s since the start of the run' . (tlog > 0 ? ', log scale)' : ')')
set ylabel 'op'
set ytics ('REQUEST' 1, 'RESPONSE' 2, 'RW' 3, 'CREDIT_UPDATE' 4, 'CREDIT_REQUEST' 5, 'SHUTDOWN' 6, 'RST' 7)
set yrange [0.5:7.5]
set xrange [t0s:t1s]
set offsets graph 0.01, graph 0.01, 0, 0
# guest to host a little above the lane, host to guest a little below, so both show
pt(k) = k == 0 ? 7 : k == 1 ? 9 : 2
lc(k) = k == 0 ? '#1f77b4' : k == 1 ? '#ff7f0e' : '#d62728'
plot for [i=0:nblocks-1] datafile index i using ($1/1e9):($2 + ($3 == 0 ? 0.12 : -0.12)) \
     with points pt pt(int(word(kinds, i + 1))) ps 1.4 lw 2 lc rgb lc(int(word(kinds, i + 1))) title columnheader(1)
