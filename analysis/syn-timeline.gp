# The packets of one connection over time, by kind, delivered or dropped (socksim report).
# datafile: rows t_send_ns lane t_recv_ns of delivered packets (nsent: 0 if none)
# lostdata: '' or a file of rows t_send_ns lane -1 of dropped packets
# t_call, t_return: connect() call and return (ns; -1: never returned)
load gpdir.'/common.gp'
set xlabel 'time since the start of the run (s)'
set ylabel 'packet kind'
set ytics ('SYN (client→server)' 1, 'SYN-ACK (server→client)' 2, 'ACK (client→server)' 3, 'other' 4)
set yrange [0.5:4.5]
set xrange [0:*]
set offsets 0, graph 0.05, 0, 0
set arrow 1 from t_call/1e9, graph 0 to t_call/1e9, graph 1 nohead dt 2 lw 2 lc rgb '#555555'
if (t_return >= 0) {
    set arrow 2 from t_return/1e9, graph 0 to t_return/1e9, graph 1 nohead lw 2 lc rgb '#2ca02c'
    set label 2 'connect() returns' at t_return/1e9, graph 0.96 right offset -0.5, 0 tc rgb '#2ca02c'
}
set label 1 'connect() called' at t_call/1e9, graph 0.96 left offset 0.5, 0 tc rgb '#555555'
p = ''
if (nsent > 0) p = "datafile using ($1/1e9):2 with points pt 7 ps 1.8 lc rgb '#1f77b4' title 'sent, delivered'"
if (lostdata ne '') p = p . (p eq '' ? '' : ', ') \
    . "lostdata using ($1/1e9):2 with points pt 2 ps 2.2 lw 3 lc rgb '#d62728' title 'sent, dropped'"
eval('plot ' . p)
