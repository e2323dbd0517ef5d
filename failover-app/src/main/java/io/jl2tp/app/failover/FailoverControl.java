package io.jl2tp.app.failover;

import io.jl2tp.app.control.LacController;
import io.jl2tp.app.dial.LacManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The control FIFO's view when [failover] sections exist: {@code c}/{@code d} of a failover
 * LAC go through its policy (a manual override until the primary's next change), and {@code s}
 * adds the failover's state to the session's.
 */
public final class FailoverControl implements LacController {

    private final LacManager manager;
    private final Map<String, FailoverService> failovers;

    public FailoverControl(LacManager manager, Map<String, FailoverService> failovers) {
        this.manager = manager;
        this.failovers = Map.copyOf(failovers);
    }

    @Override
    public void connect(String name, String user, String password) throws ControlException {
        FailoverService f = failovers.get(name);
        manager.connect(name, user, password);
        if (f != null) {
            f.manual(true);
        }
    }

    @Override
    public void disconnect(String name) throws ControlException {
        FailoverService f = failovers.get(name);
        if (f != null) {
            f.manual(false);
        }
        manager.disconnect(name);
    }

    @Override
    public void add(String name, String settings) throws ControlException {
        manager.add(name, settings);
    }

    @Override
    public void remove(String name) throws ControlException {
        if (failovers.containsKey(name)) {
            throw new ControlException("LAC '" + name + "' is used by [failover " + name + "]; it cannot be removed");
        }
        manager.remove(name);
    }

    @Override
    public List<String> status(String name) throws ControlException {
        List<String> out = new ArrayList<>(manager.status(name));
        FailoverService f = failovers.get(name);
        if (f != null) {
            out.addAll(f.status());
        }
        return out;
    }

    @Override
    public List<String> available() {
        return manager.available();
    }
}
