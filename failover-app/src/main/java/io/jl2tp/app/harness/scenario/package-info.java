/**
 * The harness's scripted misbehaviour: the scenario format ({@link io.jl2tp.app.harness.scenario.Scenario},
 * {@link io.jl2tp.app.harness.scenario.ScenarioParser}) and the outbound control-message filter
 * ({@link io.jl2tp.app.harness.scenario.ControlMisbehaviour}).
 */
package io.jl2tp.app.harness.scenario;
