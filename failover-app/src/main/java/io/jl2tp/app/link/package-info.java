/** Where an L2TP session, its PPP link and a TUN device meet: the call's data path. */
package io.jl2tp.app.link;
