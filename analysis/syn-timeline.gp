# The packets of one connection over time, by kind, delivered or dropped (socksim report).
# datafile: rows t_send_ns lane t_recv_ns "label" of delivered packets (nsent: 0 if none);
#   label: a SYN's or SYN-ACK's send time after connect() was called, else ""
# lostdata: '' or a file of the same rows for dropped packets
# t_call, t_return: connect() call and return (ns; -1: never returned); t_last: the last packet drawn
load gpdir.'/common.gp'
set xlabel 'time since the start of the run (s)'
set ylabel 'packet kind'
set ytics ('SYN (client→server)' 1, 'SYN-ACK (server→client)' 2, 'ACK (client→server)' 3, 'other' 4)
set yrange [0.5:4.5]
# The axis spans the call to the last packet drawn (or the return), nothing before.
tmax = (t_last > t_call) ? t_last : t_call + 1
set xrange [t_call/1e9 : tmax/1e9]
set offsets graph 0.03, graph 0.08, 0, 0
set arrow 1 from t_call/1e9, graph 0 to t_call/1e9, graph 1 nohead dt 2 lw 2 lc rgb '#555555'
if (t_return >= 0) {
    set arrow 2 from t_return/1e9, graph 0 to t_return/1e9, graph 1 nohead lw 2 lc rgb '#2ca02c'
    set label 2 'connect() returns' at t_return/1e9, graph 0.04 right offset -0.5, 0 tc rgb '#2ca02c'
}
set label 1 'connect() called' at t_call/1e9, graph 0.96 left offset 0.5, 0 tc rgb '#555555'
p = ''
if (nsent > 0) p = "datafile using ($1/1e9):2 with points pt 7 ps 1.8 lc rgb '#1f77b4' title 'sent, delivered', "\
    . "datafile using ($1/1e9):2:4 with labels offset 0, 1.3 font ',9' notitle"
if (lostdata ne '') p = p . (p eq '' ? '' : ', ') \
    . "lostdata using ($1/1e9):2 with points pt 2 ps 2.2 lw 3 lc rgb '#d62728' title 'sent, dropped', "\
    . "lostdata using ($1/1e9):2:4 with labels offset 0, -1.3 font ',9' tc rgb '#d62728' notitle"
eval('plot ' . p)
