// ns-3 version of the issue #14 peer workload (bench/README.md): one client
// node and one server node on a point-to-point link with 5 ms delay and 1 %
// random packet loss in each direction (a RateErrorModel on both devices);
// N TCP connections start uniformly over 1 s, each connects, sends 1 KiB and
// closes; the server accepts every connection and reads it to end of stream.
// Prints one line:
//   N=... end_time_s=... events=... completed=... bytes_received=...
// Deterministic: fixed RngSeed and Run (overridable with --seed / --run).
//
// Build (bench/peer-compare.sh does this):
//   g++ -O2 -std=c++17 ns3-peer-workload.cc $(pkg-config --cflags --libs \
//       ns3-core ns3-network ns3-internet ns3-point-to-point ns3-applications)

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <cinttypes>
#include <cstdio>
#include <map>
#include <vector>

using namespace ns3;

namespace
{

const uint16_t kPort = 80;
const uint32_t kPayload = 1024;

struct Stats
{
    uint64_t bytesReceived = 0;
    uint32_t completed = 0;      // server read 1 KiB and then end of stream
    uint32_t eofShort = 0;       // end of stream with fewer than 1 KiB
    uint32_t clientConnected = 0;
    uint32_t clientFailed = 0;
    uint32_t serverErrors = 0;   // error-close callbacks of accepted sockets (a few
                                 // come after end of stream, with ERROR_NOTERROR)
    uint64_t dropped = 0;        // packets the error models dropped
};

Stats g_stats;
std::map<Ptr<Socket>, uint64_t> g_received; // bytes read per accepted socket
std::vector<Ptr<Socket>> g_sockets;          // keep every socket alive

void
ServerRecv(Ptr<Socket> s)
{
    Ptr<Packet> p;
    while ((p = s->Recv()) && p->GetSize() > 0)
    {
        g_received[s] += p->GetSize();
        g_stats.bytesReceived += p->GetSize();
    }
}

// TcpSocketBase calls the normal-close callback when the peer's FIN arrives
// in sequence: recv() would return 0 from here on.
void
ServerPeerClosed(Ptr<Socket> s)
{
    ServerRecv(s);
    if (g_received[s] == kPayload)
    {
        g_stats.completed++;
    }
    else
    {
        g_stats.eofShort++;
    }
    s->Close();
}

void
ServerError(Ptr<Socket> s)
{
    g_stats.serverErrors++;
}

void
RxDrop(Ptr<const Packet> p)
{
    g_stats.dropped++;
}

void
ServerAccept(Ptr<Socket> s, const Address& from)
{
    g_sockets.push_back(s);
    g_received[s] = 0;
    s->SetRecvCallback(MakeCallback(&ServerRecv));
    s->SetCloseCallbacks(MakeCallback(&ServerPeerClosed), MakeCallback(&ServerError));
}

void
ClientConnected(Ptr<Socket> s)
{
    g_stats.clientConnected++;
    s->Send(Create<Packet>(kPayload));
    s->Close(); // FIN once the 1 KiB has been sent
}

void
ClientFailed(Ptr<Socket> s)
{
    g_stats.clientFailed++;
}

void
StartConnection(Ptr<Node> client, Ipv4Address server)
{
    Ptr<Socket> s = Socket::CreateSocket(client, TcpSocketFactory::GetTypeId());
    g_sockets.push_back(s);
    s->Bind();
    s->SetConnectCallback(MakeCallback(&ClientConnected), MakeCallback(&ClientFailed));
    s->Connect(InetSocketAddress(server, kPort));
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t n = 1000;
    uint32_t seed = 1;
    uint32_t run = 1;
    double lossRate = 0.01;
    std::string delay = "5ms";
    std::string rate = "10Gbps";

    CommandLine cmd(__FILE__);
    cmd.AddValue("n", "number of connections", n);
    cmd.AddValue("seed", "RngSeed", seed);
    cmd.AddValue("run", "RngRun", run);
    cmd.AddValue("loss", "packet loss rate per direction", lossRate);
    cmd.AddValue("delay", "one-way link delay", delay);
    cmd.AddValue("rate", "link data rate (socksim's link has none: keep it high)", rate);
    cmd.Parse(argc, argv);

    RngSeedManager::SetSeed(seed);
    RngSeedManager::SetRun(run);

    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(rate));
    p2p.SetChannelAttribute("Delay", StringValue(delay));
    // The device queue must not drop: socksim's link queue is unlimited.
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("100000p"));
    NetDeviceContainer devs = p2p.Install(nodes);

    for (uint32_t i = 0; i < devs.GetN(); i++)
    {
        Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
        em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
        em->SetAttribute("ErrorRate", DoubleValue(lossRate));
        devs.Get(i)->SetAttribute("ReceiveErrorModel", PointerValue(em));
        devs.Get(i)->TraceConnectWithoutContext("PhyRxDrop", MakeCallback(&RxDrop));
    }

    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addr;
    addr.SetBase("10.0.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = addr.Assign(devs);
    Ipv4Address serverAddr = ifs.GetAddress(1);

    Ptr<Socket> listener = Socket::CreateSocket(nodes.Get(1), TcpSocketFactory::GetTypeId());
    listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), kPort));
    listener->Listen();
    listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                MakeCallback(&ServerAccept));

    for (uint32_t i = 0; i < n; i++)
    {
        // connection i starts at i/N s, in whole nanoseconds as in the socksim scenario
        uint64_t t = (uint64_t)i * 1000000000ULL / n;
        Simulator::Schedule(NanoSeconds(t), &StartConnection, nodes.Get(0), serverAddr);
    }

    Simulator::Run();
    double end = Simulator::Now().GetSeconds();
    uint64_t events = Simulator::GetEventCount();
    Simulator::Destroy();

    std::printf("N=%" PRIu32 " end_time_s=%.6f events=%" PRIu64 " completed=%" PRIu32
                " bytes_received=%" PRIu64 " client_connected=%" PRIu32 " client_failed=%" PRIu32
                " eof_short=%" PRIu32 " server_errors=%" PRIu32 " dropped=%" PRIu64 "\n",
                n, end, events, g_stats.completed, g_stats.bytesReceived,
                g_stats.clientConnected, g_stats.clientFailed, g_stats.eofShort,
                g_stats.serverErrors, g_stats.dropped);
    return g_stats.completed == n ? 0 : 1;
}
